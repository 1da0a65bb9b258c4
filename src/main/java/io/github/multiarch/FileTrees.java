package io.github.multiarch;

import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories, and deleting directory trees (outputs that are rebuilt, temporary directories). */
public final class FileTrees {
  private FileTrees() {}

  /** A new temporary directory whose name starts with {@code prefix}; the caller deletes it. */
  public static Path createTempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new MultiarchException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }

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
