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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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

  /** Requests at once where the user sets no limit: as many as a push sends by default ({@code parallelUploads}). */
  public static final int REQUESTS_AT_ONCE = 4;

  /**
   * Pushes what the build attached to {@code manifest} and, with a signer, signs it: as {@link #attachAll} for
   * this one manifest.
   */
  public void attach(Descriptor manifest, List<Artifact> built) {
    attachAll(List.of(manifest), Map.of(manifest.digest(), built), REQUESTS_AT_ONCE);
  }

  /**
   * Pushes what the build attached to each of {@code manifests} ({@code built}, by digest) and, with a signer,
   * its signature bundles, all with one look at what refers to it and one update of its referrers tag; then its
   * legacy signature. The manifests are handled together, in rounds of at most {@code parallel} requests at a
   * time (what is there now; the blobs; the manifests; the tags), so the whole takes the round trips of one
   * manifest, not of all of them one after another.
   */
  public void attachAll(List<Descriptor> manifests, Map<Digest, List<Artifact>> built, int parallel) {
    prepare(manifests, built, parallel).finish(parallel);
  }

  /**
   * The part of {@link #attachAll} that needs none of {@code manifests} in the registry: what is attached to them
   * there now is read, the signatures are made, and every blob of what is to be attached is uploaded (blobs
   * refer to nothing). A push runs it while the image's own blobs go up, and calls {@link Prepared#finish} once
   * the manifests are there.
   */
  public Prepared prepare(List<Descriptor> manifests, Map<Digest, List<Artifact>> built, int parallel) {
    List<Descriptor> subjects = manifests.stream()
        .filter(m -> signer != null || !built.getOrDefault(m.digest(), List.of()).isEmpty())
        .map(m -> new Descriptor(m.mediaType(), m.digest(), m.size()))
        .toList();
    if (subjects.isEmpty()) {
      return new Prepared(null, Map.of(), 0);
    }
    boolean legacy = signer != null && signer.writesLegacySignatures();
    // what is there now: every subject's referrers and legacy signature, asked for at once
    Map<Digest, List<Descriptor>> listed = new ConcurrentHashMap<>();
    Map<Digest, List<Artifact>> bundles = new ConcurrentHashMap<>();
    Map<Digest, Optional<Artifact>> legacyThere = new ConcurrentHashMap<>();
    List<Runnable> looks = new ArrayList<>();
    for (Descriptor subject : subjects) {
      looks.add(() -> {
        List<Descriptor> there = referrers.list(repository, subject.digest());
        listed.put(subject.digest(), there);
        bundles.put(subject.digest(), signer == null ? List.of() : signatureReferrers(subject, there));
      });
      if (legacy) {
        looks.add(() -> legacyThere.put(subject.digest(), readLegacy(legacyTag(subject.digest()))));
      }
    }
    runAll(looks, parallel, "reading what is attached");
    Map<Digest, List<Artifact>> toPush = new LinkedHashMap<>();
    Map<Digest, Artifact> legacyUpdates = new LinkedHashMap<>();
    // what a legacy signature manifest there now has is in the repository; the rest (this payload, the new
    // config) is content just made, uploaded without asking first
    Map<Digest, byte[]> legacyBlobs = new LinkedHashMap<>();
    for (Descriptor subject : subjects) {
      List<Artifact> artifacts = new ArrayList<>(built.getOrDefault(subject.digest(), List.of()));
      artifacts.addAll(bundles.get(subject.digest()));
      toPush.put(subject.digest(), artifacts);
      if (legacy) {
        Artifact current = legacyThere.get(subject.digest()).orElse(null);
        Artifact updated = signer.legacySignature(subject, dockerReference, current);
        if (updated != null && updated != current) {
          legacyUpdates.put(subject.digest(), updated);
          Set<Digest> there = current == null ? Set.of() : current.blobs().keySet();
          updated.blobs().forEach((digest, content) -> {
            if (!there.contains(digest)) {
              legacyBlobs.put(digest, content);
            }
          });
        }
      }
    }
    AtomicReference<Referrers.Pending> pending = new AtomicReference<>();
    runAll(List.of(
        () -> pending.set(referrers.uploadBlobs(repository, toPush, listed, parallel)),
        () -> Parallel.map(List.copyOf(legacyBlobs.values()), parallel, "multiarch-attach", "upload of signatures",
            content -> {
              client.uploadBlob(repository, content);
              return content;
            })), 2, "uploading what is attached");
    return new Prepared(pending.get(), legacyUpdates, signer == null ? 0 : subjects.size());
  }

  /** What {@link #prepare} left to do: the manifests, once their subjects are in the registry. */
  public final class Prepared {
    private final Referrers.Pending pending;
    private final Map<Digest, Artifact> legacyUpdates;
    private final int signing;

    private Prepared(Referrers.Pending pending, Map<Digest, Artifact> legacyUpdates, int signing) {
      this.pending = pending;
      this.legacyUpdates = legacyUpdates;
      this.signing = signing;
    }

    /**
     * Puts the referrers' manifests and tags and the legacy signature manifests, side by side (they are
     * independent), at most {@code parallel} requests at a time each.
     */
    public void finish(int parallel) {
      if (pending == null) {
        return;
      }
      runAll(List.of(
          () -> referrersPushed.addAndGet(referrers.putManifests(pending, parallel)),
          () -> Parallel.map(List.copyOf(legacyUpdates.entrySet()), parallel, "multiarch-attach",
              "push of signatures", update -> {
                Artifact updated = update.getValue();
                client.putManifest(repository, legacyTag(update.getKey()), updated.manifestBytes(),
                    updated.descriptor().mediaType());
                return update;
              })), 2, "attaching");
      signed.addAndGet(signing);
    }
  }

  private static void runAll(List<Runnable> work, int parallel, String what) {
    Parallel.map(work, parallel, "multiarch-attach", what, task -> {
      task.run();
      return task;
    });
  }

  /**
   * The signature bundles {@code subject} still needs: those of its referrers that are signatures are read whole
   * first, so that the signer can tell whether it signed this manifest already.
   */
  private List<Artifact> signatureReferrers(Descriptor subject, List<Descriptor> listed) {
    String signatureType = signer.signatureArtifactType();
    if (signatureType == null) {
      return List.of();
    }
    List<Artifact> existingSignatures = new ArrayList<>();
    for (Descriptor referrer : listed) {
      if (signatureType.equals(OciJson.text(referrer.extraFields(), "artifactType"))) {
        existingSignatures.add(readReferrer(referrer));
      }
    }
    return signer.signatureReferrers(subject, dockerReference, existingSignatures);
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
