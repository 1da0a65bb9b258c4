package io.github.multiarch.registry;

import io.github.multiarch.oci.MultiarchException;

/**
 * A registry refused or failed a request, or could not be reached; the message says which request and why,
 * and {@link #kind()} says what happened, so that callers decide on the kind, not on a magic status.
 */
public class RegistryException extends MultiarchException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** No answer: no connection, a reset, a timeout, a TLS failure. Worth retrying. */
    UNREACHABLE,
    /** This client would not send the request (plain HTTP to a host not opted in, credentials off the registry). */
    NOT_SENT,
    /**
     * The work was stopped while it waited for the registry or before it asked (another part of it failed, or the
     * build was cancelled). Never retried: retrying is what the stop is meant to end.
     */
    INTERRUPTED,
    /** 401: no or wrong credentials. */
    UNAUTHORIZED,
    /** 403: the credentials may not do this. */
    DENIED,
    /** 404. */
    NOT_FOUND,
    /** 429: too many requests, or a quota. Worth retrying after {@code Retry-After}. */
    RATE_LIMITED,
    /** 408 or 5xx. Worth retrying. */
    SERVER_ERROR,
    /** Redirects that do not end. */
    REDIRECT_LOOP,
    /** Any other answer the request cannot go on with (400 MANIFEST_BLOB_UNKNOWN, a missing header…). */
    REJECTED,
    /** The registry keeps its tags immutable (Harbor's immutability rules, ECR's tag immutability). */
    IMMUTABLE_TAG,
    /** The repository does not exist and the registry does not create it on push (ECR's NAME_UNKNOWN). */
    REPOSITORY_MISSING,
    /** A storage or count quota of the registry is used up (Harbor, GitLab, 507, 413). */
    QUOTA_EXCEEDED
  }

  private final Kind kind;
  private final int status;
  private final String retryAfter;

  private RegistryException(String message, Kind kind, int status, String retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The registry answered {@code status}; {@code retryAfter} is its {@code Retry-After}, or null. */
  public static RegistryException answered(String message, int status, String retryAfter) {
    Kind kind = switch (status) {
      case 401 -> Kind.UNAUTHORIZED;
      case 403 -> Kind.DENIED;
      case 404 -> Kind.NOT_FOUND;
      case 429 -> Kind.RATE_LIMITED;
      case 408 -> Kind.SERVER_ERROR;
      default -> status >= 500 && status <= 599 ? Kind.SERVER_ERROR : Kind.REJECTED;
    };
    return new RegistryException(message, kind, status, retryAfter, null);
  }

  public static RegistryException answered(String message, int status) {
    return answered(message, status, null);
  }

  /** The registry answered {@code status} with a refusal it keeps to (see {@link Refusals}): never retried. */
  public static RegistryException refused(String message, Kind kind, int status) {
    return new RegistryException(message, kind, status, null, null);
  }

  /** No answer came (connection, reset, timeout, TLS). */
  public static RegistryException unreachable(String message, Throwable cause) {
    return new RegistryException(message, Kind.UNREACHABLE, -1, null, cause);
  }

  /** The request was stopped by an interruption, or not sent because the thread had been interrupted. */
  public static RegistryException interrupted(String message, Throwable cause) {
    return new RegistryException(message, Kind.INTERRUPTED, -1, null, cause);
  }

  /** This client would not send the request. */
  public static RegistryException notSent(String message) {
    return new RegistryException(message, Kind.NOT_SENT, -1, null, null);
  }

  public static RegistryException redirectLoop(String message) {
    return new RegistryException(message, Kind.REDIRECT_LOOP, -1, null, null);
  }

  /** The same failure, said again with more context. */
  public RegistryException withMessage(String message) {
    return new RegistryException(message, kind, status, retryAfter, this);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the registry answered, or -1 when there was no answer. */
  public int status() {
    return status;
  }

  /** The registry's {@code Retry-After} (seconds or an HTTP date), or null. */
  public String retryAfter() {
    return retryAfter;
  }

  /** Whether trying the same request again may succeed: no answer, 408, 429 or 5xx. */
  public boolean isRetryable() {
    return kind == Kind.UNREACHABLE || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR;
  }
}
