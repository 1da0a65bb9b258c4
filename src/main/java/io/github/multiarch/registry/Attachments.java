package io.github.multiarch.registry;

import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a push attaches to each manifest once it is in the registry: the artifacts the build made (SBOM,
 * provenance) as referrers, and signatures — Sigstore bundles as referrers, cosign's legacy {@code .sig} tag —
 * when a signer is given.
 */
public final class Attachments {
  private final Referrers referrers;
  private final RegistryClient client;
  private final String repository;
  private final String dockerReference;
  private final ManifestSigner signer;
  private int referrersPushed;
  private int signed;

  public Attachments(RegistryClient client, Referrers referrers, String repository, String dockerReference,
      ManifestSigner signer) {
    this.client = client;
    this.referrers = referrers;
    this.repository = repository;
    this.dockerReference = dockerReference;
    this.signer = signer;
  }

  /** Pushes what the build attached to {@code manifest}, then signs it. */
  public void attach(Descriptor manifest, List<Artifact> built) {
    Descriptor subject = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size());
    referrersPushed += referrers.push(repository, subject.digest(), built);
    if (signer == null) {
      return;
    }
    referrersPushed += referrers.push(repository, subject.digest(), signer.signatureReferrers(subject, dockerReference));
    String tag = legacyTag(subject.digest());
    Artifact existing = readLegacy(tag).orElse(null);
    Artifact updated = signer.legacySignature(subject, dockerReference, existing);
    if (updated != null && updated != existing) {
      updated.blobs().values().forEach(content -> client.uploadBlobIfAbsent(repository, content));
      client.putManifest(repository, tag, updated.manifestBytes(), updated.descriptor().mediaType());
    }
    signed++;
  }

  public int referrersPushed() {
    return referrersPushed;
  }

  public int signed() {
    return signed;
  }

  /** cosign's tag for the signatures of a manifest: {@code sha256-<hex>.sig} (cosign specs/SIGNATURE_SPEC.md). */
  static String legacyTag(Digest digest) {
    return Referrers.fallbackTag(digest) + ".sig";
  }

  /** The legacy signature manifest there now, with its config (the part a new signature changes). */
  private Optional<Artifact> readLegacy(String tag) {
    return client.getManifest(repository, tag).map(m -> {
      ImageManifest manifest = ImageManifest.parse(m.bytes(), m.mediaType(), repository + ":" + tag);
      Descriptor config = manifest.config();
      if (config.size() > OciJson.MAX_MANIFEST_BYTES) {
        throw new MultiarchException("the config of " + repository + ":" + tag + " is " + config.size()
            + " bytes; a signature manifest's config is small");
      }
      Path temp = null;
      try {
        temp = Files.createTempFile("multiarch-sig-config-", ".json");
        client.fetchBlob(repository, config.digest(), temp);
        byte[] configBytes = Files.readAllBytes(temp);
        return new Artifact(m.descriptor(), m.bytes(), Map.of(config.digest(), configBytes));
      } catch (IOException e) {
        throw new MultiarchException("cannot read the config of " + repository + ":" + tag + ": " + e.getMessage(), e);
      } finally {
        if (temp != null) {
          try {
            Files.deleteIfExists(temp);
          } catch (IOException ignored) {
            // a temporary file left behind is harmless
          }
        }
      }
    });
  }
}
