package io.github.multiarch.index;

import io.github.multiarch.EngineLog;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.Attachments;
import io.github.multiarch.registry.BlobCopier;
import io.github.multiarch.registry.ManifestSigner;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.Referrers;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.UploadListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Assembles an index from images that already exist (in registries or local layouts) and pushes it:
 * each entry's platform read from its image config, children copied into the target repository as exact
 * bytes (blobs mounted within a registry, copied across registries), then the index under every tag. All
 * sources are read and checked before anything is pushed.
 */
public final class IndexCreator {
  private static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";
  /** Blobs copied at once, as push's default {@code parallelUploads}. */
  private static final int PARALLEL_COPIES = 4;

  private final RegistryClient target;
  private final EngineLog log;
  private final UploadListener uploads;

  public IndexCreator(RegistryClient target, EngineLog log) {
    this(target, log, UploadListener.NONE);
  }

  /** With {@code uploads} told how far each copied blob's upload has got. */
  public IndexCreator(RegistryClient target, EngineLog log, UploadListener uploads) {
    this.target = target;
    this.log = log;
    this.uploads = uploads == null ? UploadListener.NONE : uploads;
  }

  /** An entry on its way into the index, with where its content comes from. */
  private record Entry(Descriptor descriptor, Manifest manifest, ImageSource source) {}

  /** What was pushed. */
  public record Result(Descriptor index, List<Descriptor> entries, int blobsCopied, int blobsMounted,
      int blobsPresent, int attachmentsCopied, boolean signed) {

    /** The entries as a table for the log, then the tags and what became of the blobs. */
    public List<String> table(List<String> tags) {
      int platformWidth = Math.max(40, entries.stream()
          .mapToInt(e -> e.platform() == null ? 1 : e.platform().describe().length()).max().orElse(0));
      String row = "  %-" + platformWidth + "s %-12s %s";
      List<String> lines = new ArrayList<>();
      lines.add(String.format(java.util.Locale.ROOT, row, "PLATFORM", "MANIFEST", "MEDIA TYPE"));
      for (Descriptor entry : entries) {
        lines.add(String.format(java.util.Locale.ROOT, row, entry.platform() == null ? "-"
            : entry.platform().describe(), entry.digest().shortHex(), entry.mediaType()));
      }
      lines.add("  tags: " + String.join(", ", tags) + "; blobs copied " + blobsCopied + ", mounted " + blobsMounted
          + ", already there " + blobsPresent + (attachmentsCopied > 0 ? "; attestations and signatures copied "
          + attachmentsCopied : "") + (signed ? "; index signed" : ""));
      return lines;
    }
  }

  public Result create(CreateRequest request, List<ImageSource> sources) {
    ImageName name = request.target();
    if (request.tags().isEmpty()) {
      throw new InvalidInputException("tags", "no tags to push the index under; name at least one");
    }
    request.tags().forEach(t -> ImageName.validateTag("tags", t));
    if (sources.isEmpty()) {
      throw new InvalidInputException("sources", "no sources; list the images to join, e.g. "
          + InvalidInputException.param("sources", "registry.example.com/app:1.0-amd64,registry.example.com/app:1.0-arm64"));
    }
    if (request.format() == ImageFormat.DOCKER && !request.annotations().isEmpty()) {
      throw new InvalidInputException("annotations", "format docker (a Docker manifest list) cannot carry "
          + "annotations; use format oci, or remove them");
    }

    // the sources side by side: each is a manifest and a config (an index: one more per platform) to fetch, and
    // a release joins five or more of them; the entries keep the sources' order
    long readStart = System.nanoTime();
    List<Entry> read = new ArrayList<>();
    List<Integer> positions = IntStream.range(0, sources.size()).boxed().toList();
    Parallel.map(positions, PARALLEL_COPIES, "multiarch-sources", "reading the sources",
        i -> read(sources.get(i), request.sources().get(i), request)).forEach(read::addAll);
    log.timings().record(sources.size() + " sources read", readStart);
    ManifestSigner signer = request.signer(); // a bad key stops the copy here, before anything is written
    checkDuplicates(read, request.allowDuplicates());
    List<Entry> entries = withoutRepeats(read);
    if (request.format() == ImageFormat.DOCKER) {
      for (Entry e : entries) {
        if (!MediaTypes.DOCKER_MANIFEST.equals(e.descriptor().mediaType())) {
          throw new InvalidInputException("format", "format docker takes only Docker v2 manifests, but "
              + e.source().reference() + " gives " + e.descriptor().mediaType() + " for "
              + describe(e.descriptor()) + "; use format oci (it may hold both)");
        }
        if (!e.descriptor().annotations().isEmpty()) {
          throw new InvalidInputException("sources", "format docker cannot carry the annotations of "
              + e.source().reference() + "; use format oci");
        }
      }
    }

    List<Descriptor> kept = new ArrayList<>();
    for (String tag : request.tags()) {
      Optional<RegistryClient.Manifest> existing = target.getManifest(name.repository(), tag);
      if (existing.isEmpty()) {
        continue;
      }
      if (!request.amend()) {
        throw new InvalidInputException("amend", name.repositoryReference() + ":" + tag + " already exists; set "
            + InvalidInputException.param("amend", "true") + " to replace the same platforms' entries of its index "
            + "and keep the others, or push under another tag");
      }
      if (kept.isEmpty()) {
        kept.addAll(entriesToKeep(existing.get(), entries, name, tag));
      }
    }

    checkLayoutBlobs(entries);
    // blobs first (each once, from the first source that has it), then each child manifest, then the index
    int present = 0;
    Set<Digest> done = new HashSet<>();
    List<Descriptor> toCopy = new ArrayList<>();
    Map<Digest, BlobCopier.Origin> origins = new HashMap<>();
    List<Entry> toPush = new ArrayList<>();
    for (Entry e : entries) {
      ImageManifest manifest = ImageManifest.parse(e.manifest().bytes(), e.manifest().mediaType(),
          e.source().reference());
      List<Descriptor> blobs = new ArrayList<>();
      blobs.add(manifest.config());
      blobs.addAll(manifest.layers());
      boolean inTarget = inTargetRepository(e.source(), name);
      for (Descriptor blob : blobs) {
        if (!done.add(blob.digest())) {
          continue;
        }
        if (inTarget) {
          present++; // read from the target repository itself: its manifest, and so its blobs, are there already
        } else {
          toCopy.add(blob);
          origins.put(blob.digest(), origin(e.source(), name));
        }
      }
      if (!inTarget) {
        toPush.add(e);
      }
    }
    Map<Digest, BlobCopier.Outcome> outcomes = new BlobCopier(target, log, uploads).copy(name.repository(), toCopy,
        origins, PARALLEL_COPIES);
    int copied = (int) outcomes.values().stream().filter(o -> o == BlobCopier.Outcome.UPLOADED).count();
    int mounted = (int) outcomes.values().stream().filter(o -> o == BlobCopier.Outcome.MOUNTED).count();
    present += (int) outcomes.values().stream().filter(o -> o == BlobCopier.Outcome.SKIPPED).count();
    AttachmentCopier attachments = new AttachmentCopier(target, log);
    // a child and what is attached to it depend on no other child: copied side by side
    Parallel.map(toPush, PARALLEL_COPIES, "multiarch-target", "copy of manifests and their attachments", e -> {
      target.putManifest(name.repository(), e.manifest().digest().toString(), e.manifest().bytes(),
          e.manifest().mediaType());
      attachments.copy(e.source().store(), e.descriptor(), name.repository());
      return e;
    });
    List<Descriptor> indexEntries = new ArrayList<>(kept);
    entries.forEach(e -> indexEntries.add(e.descriptor()));
    ImageIndex index = new ImageIndex(request.format().indexMediaType(), indexEntries, request.annotations());
    byte[] bytes = index.toBytes();
    return new Result(publish(request, bytes, index.mediaType(), signer), indexEntries, copied, mounted, present,
        attachments.copied(), signer != null);
  }

  /** Puts the index under every tag; signed first, by digest, when a signer is given. */
  private Descriptor publish(CreateRequest request, byte[] bytes, String mediaType, ManifestSigner signer) {
    ImageName name = request.target();
    Descriptor descriptor = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
    if (signer != null) {
      // by digest, signed, and only then tagged: a tag never names an unsigned index
      target.putManifest(name.repository(), descriptor.digest().toString(), bytes, mediaType);
      new Attachments(target, new Referrers(target, log), name.repository(), name.repositoryReference(),
          signer).attach(descriptor, List.of());
    }
    for (String tag : request.tags()) {
      target.putManifest(name.repository(), tag, bytes, mediaType);
    }
    return descriptor;
  }

  /** The entries one source contributes, with platforms from image configs and the source's overrides. */
  private List<Entry> read(ImageSource source, SourceSpec spec, CreateRequest request) {
    Manifest top = source.top();
    List<Entry> result = new ArrayList<>();
    if (MediaTypes.isManifest(top.mediaType())) {
      Platform platform = spec.platform() != null ? spec.platform() : platformOf(source, top);
      result.add(new Entry(top.descriptor().withPlatform(platform).withAnnotations(spec.annotations()), top, source));
      return result;
    }
    if (!MediaTypes.isIndex(top.mediaType())) {
      throw new InvalidInputException("sources", source.reference() + " is " + top.mediaType()
          + ", neither an image nor an index");
    }
    if (spec.platform() != null) {
      throw new InvalidInputException("sources", source.reference() + " is an index; a platform can only be set "
          + "for a source that is a single image");
    }
    ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType(), source.reference());
    Map<Digest, Entry> images = new LinkedHashMap<>();
    List<Descriptor> attestations = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (!MediaTypes.isManifest(d.mediaType())) {
        throw new InvalidInputException("sources", source.reference() + " lists " + d.mediaType() + " "
            + d.digest() + "; nested indexes are not supported");
      }
      if (d.platform() != null && d.platform().isUnknown()) {
        attestations.add(d);
        continue;
      }
      Manifest manifest = source.manifest(d);
      Platform platform = platformOf(source, manifest);
      if (!request.platforms().isEmpty() && request.platforms().stream().noneMatch(p -> p.equals(platform))) {
        continue;
      }
      Map<String, String> annotations = new HashMap<>(d.annotations());
      annotations.putAll(spec.annotations());
      images.put(d.digest(), new Entry(d.withPlatform(platform).withAnnotations(annotations), manifest, source));
    }
    result.addAll(images.values());
    for (Descriptor attestation : attestations) {
      String subject = attestation.annotations().get(REFERENCE_DIGEST);
      // an attestation stays when the image it describes stays
      if (subject == null || (Digest.isValid(subject) && images.containsKey(Digest.parse(subject)))) {
        result.add(new Entry(attestation, source.manifest(attestation), source));
      }
    }
    return result;
  }

  private static Platform platformOf(ImageSource source, Manifest manifestBytes) {
    ImageManifest manifest = ImageManifest.parse(manifestBytes.bytes(), manifestBytes.mediaType(),
        source.reference());
    ImageConfig config = ImageConfig.parse(source.smallBlob(manifest.config()), "config of " + source.reference());
    Platform platform = config.platform();
    if (platform.architecture().isEmpty() || platform.os().isEmpty()) {
      throw new InvalidInputException("sources", "the image config of " + source.reference() + " ("
          + manifestBytes.digest() + ") declares no " + (platform.os().isEmpty() ? "os" : "architecture")
          + "; give the source a platform");
    }
    return platform;
  }

  /** The same image given twice for the same platform (two sources, same digest) is one entry. */
  private static List<Entry> withoutRepeats(List<Entry> entries) {
    List<Entry> unique = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : entries) {
      if (seen.add(e.descriptor().digest() + " " + e.descriptor().platform())) {
        unique.add(e);
      }
    }
    return unique;
  }

  private static void checkDuplicates(List<Entry> entries, boolean allowed) {
    Map<Platform, Entry> seen = new HashMap<>();
    for (Entry e : entries) {
      Platform platform = e.descriptor().platform();
      if (platform == null || platform.isUnknown()) {
        continue;
      }
      Entry previous = seen.put(platform, e);
      if (previous != null && !allowed && !previous.descriptor().digest().equals(e.descriptor().digest())) {
        throw new InvalidInputException("sources", "two sources give " + platform.describe() + ": "
            + previous.source().reference() + " and " + e.source().reference()
            + "; remove one, or set " + InvalidInputException.param("allowDuplicates", "true"));
      }
    }
  }

  /** With amend: the existing index's entries for platforms the new sources do not give. */
  private static List<Descriptor> entriesToKeep(RegistryClient.Manifest existing, List<Entry> entries,
      ImageName name, String tag) {
    if (!MediaTypes.isIndex(existing.mediaType())) {
      throw new InvalidInputException("amend", name.repositoryReference() + ":" + tag + " is a single image, not "
          + "an index; amend only extends indexes");
    }
    ImageIndex index = ImageIndex.parse(existing.bytes(), existing.mediaType(), name + ":" + tag);
    Set<Platform> replaced = new HashSet<>();
    Set<Digest> newDigests = new HashSet<>();
    for (Entry e : entries) {
      if (e.descriptor().platform() != null && !e.descriptor().platform().isUnknown()) {
        replaced.add(e.descriptor().platform());
      }
      newDigests.add(e.descriptor().digest());
    }
    Set<Digest> dropped = new HashSet<>();
    List<Descriptor> kept = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (d.platform() != null && !d.platform().isUnknown() && replaced.contains(d.platform())) {
        dropped.add(d.digest());
      }
    }
    for (Descriptor d : index.manifests()) {
      boolean attestationOfDropped = d.platform() != null && d.platform().isUnknown()
          && Digest.isValid(d.annotations().getOrDefault(REFERENCE_DIGEST, ""))
          && dropped.contains(Digest.parse(d.annotations().get(REFERENCE_DIGEST)));
      if (!dropped.contains(d.digest()) && !attestationOfDropped && !newDigests.contains(d.digest())) {
        kept.add(d);
      }
    }
    return kept;
  }

  /** Whether the source is a registry image of the target's own registry and repository. */
  private static boolean inTargetRepository(ImageSource source, ImageName target) {
    return target.repository().equals(source.store().repositoryOn(target.registry()));
  }

  /**
   * Checks every blob that local layouts contribute against its digest and size before the first request, so
   * that a damaged layout is refused with nothing pushed (the registry would refuse the blob only after
   * the manifests of other entries had gone up).
   */
  private static void checkLayoutBlobs(List<Entry> entries) {
    for (Entry e : entries) {
      if (!(e.source().store() instanceof LayoutStore layoutStore)) {
        continue; // a registry checks what it serves; the copy checks it again
      }
      ImageManifest manifest = ImageManifest.parse(e.manifest().bytes(), e.manifest().mediaType(),
          e.source().reference());
      List<Descriptor> blobs = new ArrayList<>(manifest.layers());
      blobs.add(manifest.config());
      for (Descriptor blob : blobs) {
        try {
          layoutStore.verify(blob); // remembered by the store: the copy does not hash it again
        } catch (MultiarchException failure) {
          throw new InvalidInputException("sources", e.source().reference() + ": " + failure.getMessage()
              + "; nothing was pushed", failure);
        }
      }
    }
  }

  /** Where a source's blobs come from: mounted from the target's registry where the store is on it, else its file. */
  private BlobCopier.Origin origin(ImageSource source, ImageName name) {
    return new BlobCopier.Origin() {
      @Override
      public String mountRepository(Descriptor blob) {
        return source.store().repositoryOn(name.registry());
      }

      @Override
      public BlobCopier.LocalBlob fetch(Descriptor blob) throws IOException {
        log.debug("multiarch: copying " + blob.digest() + " from " + source.reference());
        return source.store().localBlob(blob);
      }
    };
  }

  private static String describe(Descriptor d) {
    return d.platform() == null ? d.digest().toString() : d.platform().describe();
  }
}
