package io.github.multiarch.layout;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import java.nio.file.Path;

/**
 * A blob whose bytes are not what its name and descriptor say: another digest, or another size. Nothing is
 * built from such a blob; the message names the file, the digest expected and the one found.
 */
public final class CorruptBlobException extends MultiarchException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final transient Digest expected;

  CorruptBlobException(Path file, String shownAs, Digest expected, long expectedSize, Digest found, long foundSize) {
    super("blob " + shownAs + " is corrupt: expected " + expected + (expectedSize >= 0 ? " (" + expectedSize
        + " bytes)" : "") + ", found " + found + " (" + foundSize + " bytes)");
    this.file = file;
    this.expected = expected;
  }

  /** The file that does not match. */
  public Path file() {
    return file;
  }

  /** The digest it should have had. */
  public Digest expected() {
    return expected;
  }
}
