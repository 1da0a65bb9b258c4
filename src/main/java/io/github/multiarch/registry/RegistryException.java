package io.github.multiarch.registry;

import io.github.multiarch.oci.MultiarchException;

/** A registry refused or failed a request; the message says which request, the status and the reason. */
public class RegistryException extends MultiarchException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String retryAfter;

  public RegistryException(String message, int status) {
    this(message, status, null);
  }

  /** A refusal that came with a {@code Retry-After} header (429, 503), so a retry of the whole operation waits. */
  public RegistryException(String message, int status, String retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.retryAfter = null;
  }

  /**
   * The HTTP status, -1 when the registry could not be reached, 0 when the client refused to send the
   * request (plain HTTP to a host that was not opted in).
   */
  public int status() {
    return status;
  }

  /** The registry's {@code Retry-After} (seconds or an HTTP date), or null. */
  public String retryAfter() {
    return retryAfter;
  }
}
