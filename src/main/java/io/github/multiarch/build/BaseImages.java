package io.github.multiarch.build;

import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns the {@code from} text into a base image. */
public final class BaseImages {
  public static final String LAYOUT_PREFIX = "oci-layout:";
  public static final String ARCHIVE_PREFIX = "oci-archive:";

  private BaseImages() {}

  /**
   * Accepts {@code scratch}, {@code oci-layout:PATH[:TAG]} (a layout directory) and
   * {@code oci-archive:PATH[:TAG]} (a layout tar). Relative paths are resolved against {@code basedir}.
   *
   * @param workDir where an archive may be extracted
   */
  public static BaseImage parse(String parameter, String from, Path basedir, Path workDir) {
    return parse(parameter, from, basedir, workDir, null);
  }

  /**
   * As {@link #parse(String, String, Path, Path)}, and also a registry reference ({@code registry/repo:tag} or
   * {@code @sha256:…}) when {@code registries} is given.
   */
  public static BaseImage parse(String parameter, String from, Path basedir, Path workDir,
      RegistryAccess registries) {
    if (from == null || from.isBlank() || from.trim().equals("scratch")) {
      return new ScratchBase();
    }
    String text = from.trim();
    if (text.startsWith(LAYOUT_PREFIX) || text.startsWith(ARCHIVE_PREFIX)) {
      boolean archive = text.startsWith(ARCHIVE_PREFIX);
      String rest = text.substring((archive ? ARCHIVE_PREFIX : LAYOUT_PREFIX).length());
      String tag = null;
      String pathText = rest;
      int colon = rest.lastIndexOf(':');
      if (colon > 0 && colon < rest.length() - 1 && ImageName.isValidTag(rest.substring(colon + 1))) {
        pathText = rest.substring(0, colon);
        tag = rest.substring(colon + 1);
      }
      if (pathText.isEmpty()) {
        throw new InvalidInputException(parameter, "'" + from + "' names no path; expected "
            + (archive ? ARCHIVE_PREFIX : LAYOUT_PREFIX) + "PATH[:TAG]");
      }
      Path path = basedir.resolve(pathText).normalize();
      try {
        if (archive) {
          if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(parameter, "base image '" + from + "': no layout tar at " + path);
          }
          Path dir = workDir.resolve("base-" + Integer.toHexString(path.toString().hashCode()));
          return new LayoutBase(text, LayoutArchive.extract(path, dir), tag);
        }
        return new LayoutBase(text, OciLayout.open(path), tag);
      } catch (InvalidInputException e) {
        throw e;
      } catch (MultiarchException e) {
        throw new InvalidInputException(parameter, "base image '" + from + "': " + e.getMessage(), e);
      }
    }
    ImageName name = ImageName.parse(parameter, text);
    if (registries == null) {
      throw new InvalidInputException(parameter, "base image '" + from + "' is a registry reference, and no "
          + "registry access was configured for this build");
    }
    return new RegistryBase(text, name, registries);
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
