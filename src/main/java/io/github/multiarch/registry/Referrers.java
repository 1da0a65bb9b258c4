package io.github.multiarch.registry;

import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * OCI 1.1 referrers in a registry: pushing artifacts that refer to a manifest (SBOMs, provenance, signature
 * bundles) and listing what refers to one, with the registry's referrers API where it has one and the
 * referrers tag schema ({@code sha256-<hex>}) where it has not, as distribution-spec v1.1 lays down
 * (<a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests-with-subject">
 * "Pushing Manifests with Subject"</a>, "Referrers Tag Schema").
 */
public final class Referrers {
  /** How often a referrers tag is read, changed and written before a concurrent writer is given up on. */
  static final int TAG_ATTEMPTS = 5;

  private final RegistryClient client;
  private final EngineLog log;
  /**
   * Per repository, whether its registry has the referrers API: asked by the first listing (the others wait for its
   * answer), and set to no when a listing or a referrer's PUT (answered without {@code OCI-Subject}) shows none.
   */
  private final Map<String, CompletableFuture<Boolean>> hasApi = new ConcurrentHashMap<>();
  /**
   * Blobs put into a repository ({@code repository@digest}), each once: the first thread to need one uploads it
   * and the others wait for that upload. Two uploads of one digest at the same time make distribution 2.8 refuse
   * a manifest put meanwhile (MANIFEST_BLOB_UNKNOWN, DIGEST_INVALID), so the shared empty config must not race.
   */
  private final Map<String, CompletableFuture<Void>> blobsPut = new ConcurrentHashMap<>();

  public Referrers(RegistryClient client, EngineLog log) {
    this.client = client;
    this.log = log;
  }

  /** The tag that lists the referrers of {@code subject} on a registry without the API: {@code sha256-<hex>}. */
  public static String fallbackTag(Digest subject) {
    return subject.algorithm() + "-" + subject.hex();
  }

  /**
   * Pushes artifacts that all refer to {@code subject}: their blobs, their manifests by digest, and — when
   * the registry did not take the subject itself — one update of the referrers tag listing them all. Those
   * the repository lists already are not pushed again. Returns how many manifests were pushed.
   */
  public int push(String repository, Digest subject, List<Artifact> artifacts) {
    return artifacts.isEmpty() ? 0 : pushAll(repository, Map.of(subject, artifacts),
        Map.of(subject, list(repository, subject)), Attachments.REQUESTS_AT_ONCE);
  }

  /**
   * Pushes artifacts that refer to several subjects, in three rounds of at most {@code parallel} requests at a
   * time: every blob, then every manifest, then the referrers tag of each subject whose manifests the registry
   * did not take as referrers. One subject's round trips never wait for another's, and the push takes as many
   * round trips as one subject's would. {@code listed} holds what refers to each subject now (by {@link #list});
   * what it lists is not pushed again. Returns how many manifests were pushed.
   */
  public int pushAll(String repository, Map<Digest, List<Artifact>> bySubject, Map<Digest, List<Descriptor>> listed,
      int parallel) {
    return putManifests(uploadBlobs(repository, bySubject, listed, parallel), parallel);
  }

  /**
   * The first round of {@link #pushAll}: the blobs of every artifact that {@code listed} lacks. Blobs refer to
   * nothing, so a push may send them while the manifests they are attached to are still on their way;
   * {@link #putManifests} puts the artifacts' manifests once their subjects are there.
   */
  public Pending uploadBlobs(String repository, Map<Digest, List<Artifact>> bySubject,
      Map<Digest, List<Descriptor>> listed, int parallel) {
    Pending pending = new Pending(repository, listed);
    Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    bySubject.forEach((subject, artifacts) -> {
      Set<Digest> present = listed.getOrDefault(subject, List.of()).stream().map(Descriptor::digest)
          .collect(Collectors.toSet());
      for (Artifact artifact : artifacts) {
        if (!present.contains(artifact.descriptor().digest())) {
          pending.missing.computeIfAbsent(subject, s -> new ArrayList<>()).add(artifact.descriptor());
          pending.manifests.add(Map.entry(subject, artifact));
          blobs.putAll(artifact.blobs());
        }
      }
    });
    // the empty config is shared by every artifact and may be there: asked about; the rest of an attestation or
    // signature names its subject's digest, and an artifact the repository does not list has content no
    // repository holds yet, so asking first would be a round trip for nothing
    Digest emptyConfig = Artifact.emptyConfig().digest();
    Parallel.map(List.copyOf(blobs.entrySet()), parallel, "multiarch-attach", "upload of attached blobs", blob -> {
      putBlobOnce(repository, blob.getKey(), blob.getValue(), blob.getKey().equals(emptyConfig));
      return blob.getKey();
    });
    return pending;
  }

  /**
   * The last rounds of {@link #pushAll}: every manifest of {@code pending}, then the referrers tags. Returns how
   * many manifests were pushed.
   */
  public int putManifests(Pending pending, int parallel) {
    String repository = pending.repository;
    List<Map.Entry<Digest, Artifact>> manifests = pending.manifests;
    List<Boolean> taken = Parallel.map(manifests, parallel, "multiarch-attach", "push of referrers", entry -> {
      Artifact artifact = entry.getValue();
      return client.putReferrer(repository, artifact.descriptor().digest(), artifact.manifestBytes(),
          artifact.descriptor().mediaType());
    });
    Set<Digest> tagNeeded = new LinkedHashSet<>();
    for (int i = 0; i < manifests.size(); i++) {
      if (!taken.get(i)) {
        hasApi.put(repository, CompletableFuture.completedFuture(false));
        tagNeeded.add(manifests.get(i).getKey());
      }
    }
    Parallel.map(List.copyOf(tagNeeded), parallel, "multiarch-attach", "update of referrers tags", subject -> {
      addToTag(repository, subject, pending.missing.get(subject), pending.listed.getOrDefault(subject, List.of()));
      return subject;
    });
    return manifests.size();
  }

  /** Artifacts whose blobs {@link #uploadBlobs} put into a repository, their manifests still to be put. */
  public static final class Pending {
    private final String repository;
    private final Map<Digest, List<Descriptor>> listed;
    private final Map<Digest, List<Descriptor>> missing = new LinkedHashMap<>();
    private final List<Map.Entry<Digest, Artifact>> manifests = new ArrayList<>();

    private Pending(String repository, Map<Digest, List<Descriptor>> listed) {
      this.repository = repository;
      this.listed = listed;
    }
  }

  private void putBlobOnce(String repository, Digest digest, byte[] content, boolean askFirst) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> earlier = blobsPut.putIfAbsent(repository + "@" + digest, mine);
    if (earlier != null) {
      Parallel.await(earlier); // put (or being put) by another thread: wait until it is there
      return;
    }
    try {
      if (askFirst) {
        client.uploadBlobIfAbsent(repository, content);
      } else {
        client.uploadBlob(repository, content);
      }
      mine.complete(null);
    } catch (RuntimeException e) {
      blobsPut.remove(repository + "@" + digest, mine); // a later artifact may try again
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Everything that refers to {@code subject}: from the referrers API when the registry has it, else from the
   * referrers tag; none when neither lists anything. Whether a repository's registry has the API is asked once:
   * the first call asks it, and calls made meanwhile for other subjects wait for its answer.
   */
  public List<Descriptor> list(String repository, Digest subject) {
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> asked = hasApi.putIfAbsent(repository, mine);
    if (asked == null || Parallel.await(asked)) {
      Optional<ImageIndex> fromApi;
      try {
        fromApi = client.referrers(repository, subject);
      } catch (RuntimeException e) {
        if (asked == null) {
          hasApi.remove(repository, mine); // a later call may ask again
          mine.completeExceptionally(e);
        }
        throw e;
      }
      if (asked == null) {
        mine.complete(fromApi.isPresent()); // the answer the calls made meanwhile wait for
      }
      if (fromApi.isPresent()) {
        return fromApi.get().manifests();
      }
      hasApi.put(repository, CompletableFuture.completedFuture(false));
    }
    return readTag(repository, subject).map(ImageIndex::manifests).orElse(List.of());
  }

  /**
   * Adds descriptors to the referrers tag by read (the caller's {@code listed}), change, write — keeping every
   * entry other tools put there — then reads the tag back: a writer that raced us may have written its own read
   * of the list over ours, and then the change is made again to what is there now. Registries give no
   * compare-and-swap for tags (distribution 2.8 ignores {@code If-Match}), so reading back is how a lost update
   * is found.
   */
  private void addToTag(String repository, Digest subject, List<Descriptor> descriptors, List<Descriptor> listed) {
    String tag = fallbackTag(subject);
    Set<Digest> wanted = descriptors.stream().map(Descriptor::digest).collect(Collectors.toSet());
    List<Descriptor> current = listed;
    for (int attempt = 1; attempt <= TAG_ATTEMPTS; attempt++) {
      List<Descriptor> entries = new ArrayList<>(current);
      Set<Digest> there = entries.stream().map(Descriptor::digest).collect(Collectors.toSet());
      descriptors.stream().filter(d -> !there.contains(d.digest())).forEach(entries::add);
      ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of());
      client.putManifest(repository, tag, index.toBytes(), MediaTypes.OCI_INDEX);
      log.debug("multiarch: referrers tag " + repository + ":" + tag + " lists " + entries.size() + " referrers"
          + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
      current = readTag(repository, subject).map(ImageIndex::manifests).orElse(List.of());
      if (current.stream().map(Descriptor::digest).collect(Collectors.toSet()).containsAll(wanted)) {
        return;
      }
    }
    throw new MultiarchException("the referrers tag " + repository + ":" + tag + " kept changing while it was "
        + "updated (" + TAG_ATTEMPTS + " attempts): another tool is writing referrers of " + subject
        + " at the same time; push again");
  }

  private Optional<ImageIndex> readTag(String repository, Digest subject) {
    String tag = fallbackTag(subject);
    return client.getManifest(repository, tag).map(m -> {
      if (!MediaTypes.OCI_INDEX.equals(m.mediaType())) {
        // the spec's answer to a tag that is not a referrers list: report it and leave it alone
        throw new MultiarchException(repository + ":" + tag + " is a " + m.mediaType() + ", not the OCI index a "
            + "referrers tag must be; it was left as it is");
      }
      return ImageIndex.parse(m.bytes(), MediaTypes.OCI_INDEX, repository + ":" + tag);
    });
  }
}
