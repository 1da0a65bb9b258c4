package io.github.multiarch.credentials;

import io.github.multiarch.registry.Credential;
import java.util.Optional;

/** One place credentials may come from. */
public interface CredentialSource {
  /** The credential for {@code registry} (host or host:port), if this source has one. */
  Optional<Credential> find(String registry);
}
