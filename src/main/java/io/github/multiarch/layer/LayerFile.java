package io.github.multiarch.layer;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * One source put into a layer: a file, or a directory copied with everything below it, placed at the
 * absolute path {@code target} inside the image; or a small file whose content the build made (a Java
 * application's classpath file), which needs nothing on disk.
 *
 * @param source a file or directory on disk, or null for made content
 * @param target where it goes in the image, an absolute path (a directory source becomes that directory)
 * @param fileMode the permission bits of regular files (e.g. {@code 0755}), or null to take 0755 for files
 *     that are executable on disk and 0644 for the others
 * @param content the bytes of a made file, or null for a source on disk
 */
public record LayerFile(Path source, String target, Integer fileMode, byte[] content) {
  public LayerFile(Path source, String target, Integer fileMode) {
    this(source, target, fileMode, null);
  }

  /** A file with the given content (mode 644), made by the build rather than read from disk. */
  public static LayerFile made(String target, byte[] content) {
    return new LayerFile(null, target, 0644, content.clone());
  }

  public boolean isMade() {
    return content != null;
  }

  /** The mode a file from disk gets: the configured one, else 0755 when it is executable on disk, else 0644. */
  static int modeOf(Path source, Integer configured) {
    if (configured != null) {
      return configured;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(source);
      return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    } catch (UnsupportedOperationException | IOException e) {
      return Files.isExecutable(source) ? 0755 : 0644;
    }
  }

  /** Parses a mode such as {@code 755} or {@code 0644}; {@code what} names it in the error. */
  public static int parseMode(String text, String what, String parameter) {
    if (text == null || !text.trim().matches("0?[0-7]{3}")) {
      throw new InvalidInputException(parameter, what + ": mode '" + text
          + "' is not an octal permission such as 644 or 755");
    }
    return Integer.parseInt(text.trim(), 8);
  }
}
