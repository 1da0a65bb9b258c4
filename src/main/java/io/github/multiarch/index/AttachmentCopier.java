package io.github.multiarch.index;

import io.github.multiarch.EngineLog;
import io.github.multiarch.image.ImageNotFoundException;
import io.github.multiarch.image.ImageStore;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.registry.Attachments;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.Referrers;
import io.github.multiarch.registry.RegistryClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies what is attached to an image along with it: its OCI 1.1 referrers (SBOMs, provenance, Sigstore
 * bundles) and cosign's legacy {@code sha256-<hex>.sig} signature manifest. Signatures stay valid in the new
 * repository: they sign the manifest's digest, which a copy keeps.
 */
final class AttachmentCopier {
  /** The largest attestation copied; an SBOM of a very large image stays far below. */
  private static final int MAX_ATTACHED_BLOB = 64 * 1024 * 1024;

  private final RegistryClient target;
  private final Referrers referrers;
  private final EngineLog log;
  private final AtomicInteger copied = new AtomicInteger();

  AttachmentCopier(RegistryClient target, EngineLog log) {
    this.target = target;
    this.referrers = new Referrers(target, log);
    this.log = log;
  }

  /** How many referrers and signature manifests were copied. */
  int copied() {
    return copied.get();
  }

  /**
   * Copies what refers to {@code subject} in {@code source} into {@code repository} of the target registry. Safe to
   * call for several subjects at once.
   */
  void copy(ImageStore source, Descriptor subject, String repository) {
    // each referrer is read, and then pushed, side by side with the others
    List<Artifact> artifacts = Parallel.map(source.referrers(subject.digest()), Attachments.REQUESTS_AT_ONCE,
        "multiarch-attach", "reading what is attached", referrer -> read(source, referrer));
    copied.addAndGet(referrers.push(repository, subject.digest(), artifacts));
    String sigTag = Attachments.legacyTag(subject.digest());
    Manifest signatures;
    try {
      signatures = source.resolve(sigTag);
    } catch (ImageNotFoundException e) {
      return; // not signed the legacy way
    } catch (MultiarchException e) {
      log.debug("multiarch: no legacy signature read for " + subject.digest() + ": " + e.getMessage());
      return;
    }
    if (target.headManifest(repository, sigTag).map(d -> d.digest().equals(signatures.digest())).orElse(false)) {
      return;
    }
    Artifact legacy = read(source, signatures.descriptor());
    legacy.blobs().values().forEach(content -> target.uploadBlobIfAbsent(repository, content));
    target.putManifest(repository, sigTag, legacy.manifestBytes(), legacy.descriptor().mediaType());
    copied.incrementAndGet();
  }

  /** An attached manifest with its blobs, each read from the source and checked against its digest. */
  private static Artifact read(ImageStore source, Descriptor descriptor) {
    try {
      return source.artifact(descriptor.withPlatform(null), MAX_ATTACHED_BLOB);
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + descriptor.digest() + " attached in " + source.describe() + ": "
          + e.getMessage(), e);
    }
  }
}
