package io.github.multiarch.image;

import io.github.multiarch.oci.MultiarchException;

/** A reference names nothing in the store; the message says what the store has where it can. */
public final class ImageNotFoundException extends MultiarchException {
  private static final long serialVersionUID = 1L;

  public ImageNotFoundException(String message) {
    super(message);
  }
}
