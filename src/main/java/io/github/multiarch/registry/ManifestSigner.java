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
  /** The artifact type of the signatures this signer stores as referrers, or null when it stores none. */
  String signatureArtifactType();

  /**
   * Signatures to store as OCI 1.1 referrers of {@code manifest} (Sigstore bundles): none when this signer writes
   * none, or when one of {@code existing} is already a valid signature of it by this signer (ECDSA signatures
   * differ every time, so pushing an unchanged image again must not pile them up).
   *
   * @param dockerReference the repository the manifest is pushed to, e.g. {@code registry.example.com/team/app}
   * @param existing the referrers of {@code manifest} of {@link #signatureArtifactType()} there now, read whole
   */
  List<Artifact> signatureReferrers(Descriptor manifest, String dockerReference, List<Artifact> existing);

  /** Whether this signer writes cosign's legacy {@code .sig} tag: when not, a push need not read it. */
  boolean writesLegacySignatures();

  /**
   * cosign's legacy signature manifest for the tag {@code sha256-<hex>.sig}: the one there now ({@code existing},
   * with its config among its blobs; null when there is none) with this signature added. Null when this signer
   * writes no legacy signatures; {@code existing} itself when it already holds this signature.
   */
  Artifact legacySignature(Descriptor manifest, String dockerReference, Artifact existing);
}
