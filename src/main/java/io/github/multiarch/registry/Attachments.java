package io.github.multiarch.registry;

import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a push attaches to each manifest once it is in the registry: the artifacts the build made (SBOM,
 * provenance) as referrers, and signatures — Sigstore bundles as referrers, cosign's legacy {@code .sig} tag —
 * when a signer is given.
 */
public final class Attachments {
  /** The largest blob of a signature read back (a bundle, a payload, a config): each is a few KiB. */
  private static final long MAX_SIGNATURE_BLOB = 1024 * 1024;

  private final Referrers referrers;
  private final RegistryClient client;
  private final String repository;
  private final String dockerReference;
  private final ManifestSigner signer;
  private final AtomicInteger referrersPushed = new AtomicInteger();
  private final AtomicInteger signed = new AtomicInteger();

  public Attachments(RegistryClient client, Referrers referrers, String repository, String dockerReference,
      ManifestSigner signer) {
    this.client = client;
    this.referrers = referrers;
    this.repository = repository;
    this.dockerReference = dockerReference;
    this.signer = signer;
  }

  /**
   * Pushes what the build attached to {@code manifest} and, with a signer, its signature bundles, all with one
   * look at what refers to it and one update of the referrers tag; then its legacy signature. Safe to call for
   * several manifests at once.
   */
  public void attach(Descriptor manifest, List<Artifact> built) {
    Descriptor subject = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size());
    if (built.isEmpty() && signer == null) {
      return;
    }
    List<Descriptor> listed = referrers.list(repository, subject.digest());
    List<Artifact> toPush = new ArrayList<>(built);
    String signatureType = signer == null ? null : signer.signatureArtifactType();
    if (signatureType != null) {
      List<Artifact> existingSignatures = new ArrayList<>();
      for (Descriptor referrer : listed) {
        if (signatureType.equals(OciJson.text(referrer.extraFields(), "artifactType"))) {
          existingSignatures.add(readReferrer(referrer));
        }
      }
      toPush.addAll(signer.signatureReferrers(subject, dockerReference, existingSignatures));
    }
    referrersPushed.addAndGet(referrers.push(repository, subject.digest(), toPush, listed));
    if (signer == null) {
      return;
    }
    String tag = legacyTag(subject.digest());
    Artifact existing = readLegacy(tag).orElse(null);
    Artifact updated = signer.legacySignature(subject, dockerReference, existing);
    if (updated != null && updated != existing) {
      // what the signature manifest there now has is in the repository; the rest (this payload, the new config)
      // is content just made, uploaded without asking first
      Set<Digest> there = existing == null ? Set.of() : existing.blobs().keySet();
      updated.blobs().forEach((digest, content) -> {
        if (!there.contains(digest)) {
          client.uploadBlob(repository, content);
        }
      });
      client.putManifest(repository, tag, updated.manifestBytes(), updated.descriptor().mediaType());
    }
    signed.incrementAndGet();
  }

  public int referrersPushed() {
    return referrersPushed.get();
  }

  public int signed() {
    return signed.get();
  }

  /** cosign's tag for the signatures of a manifest: {@code sha256-<hex>.sig} (cosign specs/SIGNATURE_SPEC.md). */
  public static String legacyTag(Digest digest) {
    return Referrers.fallbackTag(digest) + ".sig";
  }

  /** The legacy signature manifest there now, with its blobs (config and signature payloads). */
  private Optional<Artifact> readLegacy(String tag) {
    return client.getManifest(repository, tag).map(m -> read(m.descriptor(), m.bytes(), repository + ":" + tag));
  }

  private Artifact readReferrer(Descriptor referrer) {
    RegistryClient.Manifest m = client.getManifest(repository, referrer.digest().toString()).orElseThrow(
        () -> new MultiarchException("referrer " + referrer.digest() + " is listed but missing from " + repository));
    return read(referrer, m.bytes(), "referrer " + referrer.digest());
  }

  /** A small manifest with its blobs, each fetched and checked against its digest. */
  private Artifact read(Descriptor descriptor, byte[] bytes, String what) {
    try {
      return Artifact.read(descriptor, bytes, part -> fetchSmall(part, what), what);
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  private byte[] fetchSmall(Descriptor part, String what) throws IOException {
    if (part.size() > MAX_SIGNATURE_BLOB) {
      throw new MultiarchException(part.digest() + " of " + what + " is " + part.size() + " bytes; signature blobs "
          + "are small");
    }
    Path temp = Files.createTempFile("multiarch-signature-", ".blob");
    try {
      client.fetchBlob(repository, part.digest(), temp);
      return Files.readAllBytes(temp);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
