package io.github.multiarch.supply;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file the plugin put into a platform's layers.
 *
 * @param path the path inside the container, such as {@code /usr/local/bin/greet}
 * @param size its size in bytes
 * @param sha256Hex the SHA-256 of its content, 64 lowercase hex digits
 */
public record ImageFile(String path, long size, String sha256Hex) {
  static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ImageFile {
    Objects.requireNonNull(path, "path");
    if (!SHA256_HEX.matcher(Objects.requireNonNull(sha256Hex, "sha256Hex")).matches()) {
      throw new IllegalArgumentException("the SHA-256 of " + path + " is not 64 lowercase hex digits: " + sha256Hex);
    }
  }
}
