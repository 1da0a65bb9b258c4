package io.github.multiarch;

import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting directory trees (outputs that are rebuilt, temporary directories). */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code dir} and everything below it, without following symbolic links; nothing when absent. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
