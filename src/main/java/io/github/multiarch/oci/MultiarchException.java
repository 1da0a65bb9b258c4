package io.github.multiarch.oci;

/**
 * Any failure of the engine that is worth a clear message rather than a stack trace: unreadable or
 * inconsistent image data, a digest that does not match, an I/O failure with the path that caused it.
 */
public class MultiarchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MultiarchException(String message) {
    super(message);
  }

  public MultiarchException(String message, Throwable cause) {
    super(message, cause);
  }
}
