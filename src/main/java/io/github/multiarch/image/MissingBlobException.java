package io.github.multiarch.image;

import java.io.IOException;

/** A blob that the image names is not where the image is read from (a foreign layer, a pruned layout). */
public final class MissingBlobException extends IOException {
  private static final long serialVersionUID = 1L;

  public MissingBlobException(String message, Throwable cause) {
    super(message, cause);
  }
}
