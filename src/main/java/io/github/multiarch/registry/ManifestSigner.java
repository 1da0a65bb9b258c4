package io.github.multiarch.registry;

import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import java.util.List;

/**
 * Signs manifests as they are pushed: the index and every child. A push calls it for each manifest after the
 * manifest is in the registry and before the tags that make it visible are written, so a tag never names an
 * unsigned image.
 */
public interface ManifestSigner {
  /**
   * Signatures stored as OCI 1.1 referrers of {@code manifest} (Sigstore bundles); empty when this signer writes
   * none.
   *
   * @param dockerReference the repository the manifest is pushed to, e.g. {@code registry.example.com/team/app}
   */
  List<Artifact> signatureReferrers(Descriptor manifest, String dockerReference);

  /**
   * cosign's legacy signature manifest for the tag {@code sha256-<hex>.sig}: the one there now ({@code existing},
   * with its config among its blobs; null when there is none) with this signature added. Null when this signer
   * writes no legacy signatures; {@code existing} itself when it already holds this signature.
   */
  Artifact legacySignature(Descriptor manifest, String dockerReference, Artifact existing);
}
