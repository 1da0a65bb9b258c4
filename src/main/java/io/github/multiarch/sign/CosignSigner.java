package io.github.multiarch.sign;

import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.ManifestSigner;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Signs manifests with an ECDSA P-256 key in the formats cosign users verify: a Sigstore bundle stored as an
 * OCI 1.1 referrer (cosign 3's default), cosign 2's {@code sha256-<hex>.sig} simple-signing manifest, or both.
 * Signing again what this key has signed already adds nothing.
 */
public final class CosignSigner implements ManifestSigner {
  /** Which signature formats are written. */
  public enum Format {
    /** A Sigstore bundle v0.3 as a referrer (cosign 3, sigstore-go, policy-controller with bundle support). */
    BUNDLE,
    /** The simple-signing {@code .sig} tag (cosign 2, Kyverno, podman/CRI-O {@code sigstoreSigned}). */
    LEGACY,
    /** Both, so that every verifier in use today finds the signature it reads. */
    BOTH;

    /** Parses {@code bundle}, {@code legacy} or {@code both}, naming {@code parameter} when it is none of them. */
    public static Format parse(String text, String parameter) {
      if (text != null) {
        for (Format f : values()) {
          if (f.name().equalsIgnoreCase(text.trim())) {
            return f;
          }
        }
      }
      throw new InvalidInputException(parameter, "unknown signature format '" + text + "'; valid: bundle, legacy, "
          + "both");
    }
  }

  private final SigningKey key;
  private final Format format;
  private final Instant created;

  /**
   * @param created the time written into the signatures' annotations (the build's reproducible time, so that
   *     signing leaves no wall-clock trace); null for cosign's zero time in the legacy config
   */
  public CosignSigner(SigningKey key, Format format, Instant created) {
    this.key = key;
    this.format = format;
    this.created = created;
  }

  public Format format() {
    return format;
  }

  @Override
  public String signatureArtifactType() {
    return format == Format.LEGACY ? null : SigstoreBundle.BUNDLE_MEDIA_TYPE;
  }

  @Override
  public boolean writesLegacySignatures() {
    return format != Format.BUNDLE;
  }

  @Override
  public List<Artifact> signatureReferrers(Descriptor manifest, String dockerReference, List<Artifact> existing) {
    if (format == Format.LEGACY) {
      return List.of();
    }
    SignatureVerifier verifier = new SignatureVerifier(key.verificationKey(), manifest.digest());
    for (Artifact referrer : existing) {
      if (verifier.checkBundleReferrer(referrer).valid()) {
        return List.of();
      }
    }
    return List.of(SigstoreBundle.referrer(manifest, key, created == null ? Instant.EPOCH : created));
  }

  @Override
  public Artifact legacySignature(Descriptor manifest, String dockerReference, Artifact existing) {
    if (format == Format.BUNDLE) {
      return null;
    }
    byte[] payload = SimpleSigning.payload(dockerReference, manifest.digest());
    if (SimpleSigning.alreadySigned(existing, payload, key.verificationKey())) {
      return existing;
    }
    String signature = Base64.getEncoder().encodeToString(key.sign(payload));
    return SimpleSigning.signatureManifest(existing, payload, signature, null);
  }
}
