package io.github.multiarch.registry;

/**
 * A user name and a secret for a registry, with where it came from (named in errors, never the secret).
 * {@link #toString()} never shows the secret.
 */
public record Credential(String username, String secret, String source) {
  /** Registries that take identity tokens (e.g. from {@code docker login} with an OAuth flow). */
  public static final String TOKEN_USER = "<token>";

  @Override
  public String toString() {
    return "Credential[user=" + username + ", from " + source + "]";
  }
}
