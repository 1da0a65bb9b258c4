package io.github.multiarch.registry;

import io.github.multiarch.oci.MultiarchException;

/** A registry refused or failed a request; the message says which request, the status and the reason. */
public class RegistryException extends MultiarchException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public RegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  /** The HTTP status, or -1 when the registry could not be reached. */
  public int status() {
    return status;
  }
}
