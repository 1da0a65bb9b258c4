package io.github.multiarch.build;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where layer sources may be read from. A source named inside the project must stay inside it: when one of
 * its parent directories is a symbolic link that leads out of the project (a per-platform directory linked to
 * {@code /usr/bin}, a checked-out link to the home directory), the build refuses it rather than read files the
 * POM never named. A source named outside the project (an absolute path, {@code ../elsewhere}) is read where
 * it is: the POM named it. Symbolic links that are sources themselves, or that lie inside a source directory,
 * are stored in the layer as links and never followed, so they read nothing wherever they point.
 */
public final class SourcePaths {
  private SourcePaths() {}

  /**
   * Refuses {@code source} when it lies inside {@code basedir} by name but a symbolic link among its parent
   * directories leads outside it. {@code what} names the layer and platform in the message.
   */
  public static void checkStaysInProject(Path source, Path basedir, String what, String parameter) {
    if (basedir == null) {
      return;
    }
    Path base = basedir.toAbsolutePath().normalize();
    Path path = source.toAbsolutePath().normalize();
    Path parent = path.getParent();
    if (parent == null || !path.startsWith(base) || path.equals(base)) {
      return; // named outside the project: read where the POM says
    }
    Path realBase;
    try {
      realBase = base.toRealPath();
    } catch (IOException e) {
      return; // no project directory to stay in
    }
    Path current = base;
    for (Path part : base.relativize(parent)) {
      current = current.resolve(part);
      if (!Files.isSymbolicLink(current)) {
        continue;
      }
      Path real;
      try {
        real = current.toRealPath();
      } catch (IOException e) {
        throw new InvalidInputException(parameter, what + ": source " + source + " goes through the symbolic link "
            + base.relativize(current) + ", which leads nowhere (" + e.getMessage() + ")", e);
      }
      if (!real.startsWith(realBase)) {
        String link;
        try {
          link = Files.readSymbolicLink(current).toString();
        } catch (IOException e) {
          link = real.toString();
        }
        throw new InvalidInputException(parameter, what + ": source " + source + " goes through the symbolic link "
            + base.relativize(current) + " -> " + link + ", which leads outside the project directory " + base
            + "; files are not read outside the project through links. Copy them into the project, or name their "
            + "real path (" + real.resolve(current.relativize(path)) + ") as the source");
      }
    }
  }
}
