package io.github.multiarch.registry;

import io.github.multiarch.EngineLog;
import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.oci.PlatformPlaceholders;
import io.github.multiarch.registry.BlobCopier.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pushes an image (index or single manifest) from an OCI layout in the order that never leaves a tag
 * pointing at something incomplete: every blob first (skipped when present, mounted when another
 * repository of the registry has it, else uploaded — each once), then each child manifest by digest, then
 * the index under each tag. Manifests go as the exact bytes of the layout.
 */
public final class LayoutPusher {
  /** The largest attestation read into memory to push: an SBOM of a very large image stays far below. */
  private static final int MAX_ATTESTATION_BYTES = 64 * 1024 * 1024;

  private final RegistryClient client;
  private final EngineLog log;
  private final UploadListener uploads;
  /** Clients of other registries, for base layers the build left there (see {@link DeferredBlobSource}). */
  private final Function<String, RegistryClient> sourceClients;

  public LayoutPusher(RegistryClient client, EngineLog log) {
    this(client, log, UploadListener.NONE);
  }

  /** With {@code uploads} told how far each blob upload has got (see {@link UploadProgress}). */
  public LayoutPusher(RegistryClient client, EngineLog log, UploadListener uploads) {
    this(client, log, uploads, null);
  }

  /**
   * @param sourceClients a client per registry host, for base layers the layout lacks by design that must be
   *     fetched from a registry other than the target's; null when there is none
   */
  public LayoutPusher(RegistryClient client, EngineLog log, UploadListener uploads,
      Function<String, RegistryClient> sourceClients) {
    this.client = client;
    this.log = log;
    this.uploads = uploads == null ? UploadListener.NONE : uploads;
    this.sourceClients = sourceClients;
  }


  private record Child(Descriptor descriptor, byte[] bytes, List<Descriptor> blobs) {}

  /**
   * The layout's image as read and checked before the first request: its top manifest, every child, and the
   * artifacts the build attached to them (SBOMs, provenance), by the digest they refer to, and the base layers
   * it lacks by design (read once: the blob check and the upload both need them).
   */
  private record LocalImage(OciLayout layout, Descriptor top, byte[] topBytes, List<Child> children,
      Map<Digest, List<Artifact>> referrers, Map<Digest, DeferredBlobs.Entry> deferred) {}

  public PushResult push(PushRequest request) {
    String repository = request.target().repository();
    for (String tag : request.tags()) {
      ImageName.validateTag("tags", tag);
    }
    if (request.tags().isEmpty()) {
      throw new InvalidInputException("tags", "no tags to push; name at least one");
    }
    long start = System.nanoTime();
    LocalImage image = readLocal(request);
    Descriptor top = image.top();
    List<Child> children = image.children();
    Map<Descriptor, List<String>> platformTags = platformTags(request, children, top);

    client.ping();
    // what the repository already has needs no request more: a tag that names this very index (HEAD) means
    // the registry accepted it with every child, and a child manifest it has (HEAD by digest) came with all
    // its blobs; pushing an unchanged image is then one or a few HEADs
    Set<String> tagged = new LinkedHashSet<>();
    for (String tag : request.tags()) {
      if (hasManifest(repository, tag, top.digest())) {
        tagged.add(tag);
      }
    }
    Set<Digest> present = !tagged.isEmpty()
        ? children.stream().map(c -> c.descriptor().digest()).collect(Collectors.toSet())
        : childrenPresent(repository, children, request.parallelUploads());
    Map<Digest, Descriptor> unique = new LinkedHashMap<>();
    Map<Digest, Outcome> outcomes = new LinkedHashMap<>();
    children.stream().filter(c -> present.contains(c.descriptor().digest()))
        .forEach(c -> c.blobs().forEach(b -> outcomes.put(b.digest(), Outcome.SKIPPED)));
    // a foreign (non-distributable) layer is referred to, not pushed: nodes fetch it from its urls, and
    // registries accept a manifest without its blob (image-spec layer.md "Non-distributable layers";
    // distribution's manifest handlers skip the blob check for them); only a registry the user allows gets it
    boolean pushForeign = request.pushesNondistributable();
    children.stream().filter(c -> !present.contains(c.descriptor().digest()))
        .forEach(c -> c.blobs().stream().filter(b -> !outcomes.containsKey(b.digest()))
            .filter(b -> pushForeign || !MediaTypes.isNonDistributable(b.mediaType()))
            .forEach(b -> unique.putIfAbsent(b.digest(), b)));
    // every blob that may go up is read and checked first: a damaged layout is refused with nothing pushed
    DeferredBlobSource deferred = new DeferredBlobSource(image.deferred(), client, sourceClients);
    for (Descriptor blob : unique.values()) {
      if ((MediaTypes.isNonDistributable(blob.mediaType()) && !image.layout().hasBlob(blob.digest()))
          || deferred.lacks(blob.digest())) {
        continue; // not in the layout by design: mounted, or fetched from its source and checked while fetched
      }
      try {
        image.layout().verifyBlob(blob.digest(), blob.size());
      } catch (MultiarchException e) {
        throw new InvalidInputException("layout", e.getMessage() + "; rebuild the layout (nothing was pushed)", e);
      }
    }
    log.timings().record("layout read, registry asked what it has, blobs to send checked", start);
    long blobsStart = System.nanoTime();
    Attachments attachments = new Attachments(client, new Referrers(client, log), repository,
        request.target().repositoryReference(), request.signer());
    boolean topIsIndex = MediaTypes.isIndex(top.mediaType());
    List<Descriptor> subjects = new ArrayList<>();
    children.forEach(c -> subjects.add(c.descriptor()));
    if (topIsIndex) {
      subjects.add(top);
    }
    boolean attaching = request.signer() != null || !image.referrers().isEmpty();
    // what is attached needs no manifest in the registry until its own manifests go up: reading what is there,
    // signing and sending its blobs (which refer to nothing) run beside the image's blobs
    CompletableFuture<Attachments.Prepared> prepared = attaching
        ? Parallel.start("multiarch-attach", () -> {
          long prepareStart = System.nanoTime();
          Attachments.Prepared p = attachments.prepare(subjects, image.referrers(), request.parallelUploads());
          log.timings().record("attachments read, signed, their blobs sent", prepareStart);
          return p;
        })
        : null;
    List<PushResult.PlatformPush> platforms = new ArrayList<>();
    long manifestsStart;
    try {
      outcomes.putAll(pushBlobs(image.layout(), repository, unique, request, deferred));
      log.timings().record(unique.size() + " blobs sent or mounted", blobsStart);
      manifestsStart = System.nanoTime();
      // the children are independent of each other: put side by side
      Parallel.map(children.stream().filter(c -> !present.contains(c.descriptor().digest())).toList(),
          request.parallelUploads(), "multiarch-manifest", "push of manifests", child -> {
            client.putManifest(repository, child.descriptor().digest().toString(), child.bytes(),
                child.descriptor().mediaType());
            return child;
          });
      Set<Digest> counted = new LinkedHashSet<>();
      for (Child child : children) {
        platforms.add(counted(child, outcomes, counted, platformTags.getOrDefault(child.descriptor(), List.of())));
      }
      // attestations and signatures go up before any tag names the image: a gate that reads a tag never sees
      // it unsigned or unattested
      if (topIsIndex) {
        List<Artifact> topReferrers = image.referrers().getOrDefault(top.digest(), List.of());
        if ((!topReferrers.isEmpty() || request.signer() != null) && tagged.size() < request.tags().size()) {
          // by digest first (its children are all there), so that what refers to it is there before a tag is
          client.putManifest(repository, top.digest().toString(), image.topBytes(), top.mediaType());
        }
      }
      if (prepared != null) {
        Parallel.await(prepared).finish(request.parallelUploads());
      }
    } catch (RuntimeException e) {
      Parallel.awaitQuietly(prepared); // nothing of this push may still run once it has failed
      throw e;
    }
    // every child was confirmed present (its PUT answered 201, or HEAD found it) before the index is tagged;
    // a tag that already names this very index is left as it is
    for (String tag : request.tags()) {
      if (!tagged.contains(tag)) {
        client.putManifest(repository, tag, image.topBytes(), top.mediaType());
      }
    }
    for (Map.Entry<Descriptor, List<String>> e : platformTags.entrySet()) {
      byte[] bytes = children.stream().filter(c -> c.descriptor() == e.getKey()).findFirst().orElseThrow().bytes();
      for (String tag : e.getValue()) {
        client.putManifest(repository, tag, bytes, e.getKey().mediaType());
      }
    }
    log.timings().record("manifests, attachments and tags put", manifestsStart);
    return new PushResult(request.target().repositoryReference(), top.withAnnotations(Map.of()), request.tags(),
        platforms, platforms.stream().mapToLong(PushResult.PlatformPush::bytesUploaded).sum(),
        platforms.stream().mapToInt(PushResult.PlatformPush::uploaded).sum(),
        platforms.stream().mapToInt(PushResult.PlatformPush::skipped).sum(),
        platforms.stream().mapToInt(PushResult.PlatformPush::mounted).sum(), attachments.referrersPushed(),
        attachments.signed());
  }

  /**
   * Everything read and checked locally before the first request: a layout with a missing, corrupt or
   * oversized manifest is refused as input, and nothing is pushed.
   */
  private static LocalImage readLocal(PushRequest request) {
    OciLayout layout;
    try {
      layout = OciLayout.open(request.layout());
    } catch (MultiarchException e) {
      throw new InvalidInputException("layout", e.getMessage() + "; build first, or point "
          + InvalidInputException.param("layout") + " at a layout", e);
    }
    Descriptor top;
    try {
      top = request.layoutTag() != null ? layout.resolve(request.layoutTag())
          : layout.resolve(layout.tags().isEmpty() ? null : layout.tags().get(0));
    } catch (MultiarchException e) {
      throw new InvalidInputException("layout", e.getMessage(), e);
    }
    try {
      byte[] topBytes = layout.readBlob(top, OciJson.MAX_MANIFEST_BYTES);
      List<Child> children = new ArrayList<>();
      Map<Digest, DeferredBlobs.Entry> deferred = DeferredBlobs.missing(layout);
      if (MediaTypes.isIndex(top.mediaType())) {
        ImageIndex index = ImageIndex.parse(topBytes, top.mediaType(), "index " + top.digest());
        for (Descriptor entry : index.manifests()) {
          byte[] bytes = layout.readBlob(entry, OciJson.MAX_MANIFEST_BYTES);
          children.add(new Child(entry, bytes, blobsOf(layout, entry, bytes, deferred.keySet())));
        }
      } else if (MediaTypes.isManifest(top.mediaType())) {
        children.add(new Child(top, topBytes, blobsOf(layout, top, topBytes, deferred.keySet())));
      } else {
        throw new InvalidInputException("layout", "the layout's image is " + top.mediaType()
            + ", neither an index nor an image manifest");
      }
      Set<Digest> subjects = new LinkedHashSet<>();
      subjects.add(top.digest());
      children.forEach(c -> subjects.add(c.descriptor().digest()));
      Map<Digest, List<Artifact>> referrers = new LinkedHashMap<>();
      layout.referrersBySubject().forEach((subject, listed) -> {
        if (subjects.contains(subject)) {
          referrers.put(subject, listed.stream().map(r -> readArtifact(layout, r)).toList());
        }
      });
      return new LocalImage(layout, top, topBytes, children, referrers, deferred);
    } catch (InvalidInputException e) {
      throw e;
    } catch (MultiarchException e) {
      throw new InvalidInputException("layout", e.getMessage() + "; rebuild the layout", e);
    }
  }

  /** An artifact the build attached, read whole from the layout and checked against its digests. */
  private static Artifact readArtifact(OciLayout layout, Descriptor referrer) {
    try {
      return Artifact.read(referrer, layout.readBlob(referrer, OciJson.MAX_MANIFEST_BYTES),
          part -> layout.readBlob(part, MAX_ATTESTATION_BYTES), "referrer " + referrer.digest());
    } catch (IOException e) {
      throw new MultiarchException("cannot read referrer " + referrer.digest() + ": " + e.getMessage(), e);
    }
  }

  /**
   * What the push did for one child: its blobs' outcomes, each blob counted for the first child that has it
   * ({@code counted} is shared across the children), and the bytes uploaded.
   */
  private static PushResult.PlatformPush counted(Child child, Map<Digest, Outcome> outcomes, Set<Digest> counted,
      List<String> tags) {
    long bytes = 0;
    int up = 0;
    int skip = 0;
    int mount = 0;
    for (Descriptor blob : child.blobs()) {
      if (!outcomes.containsKey(blob.digest()) || !counted.add(blob.digest())) {
        continue; // a foreign layer only referred to
      }
      switch (outcomes.get(blob.digest())) {
        case UPLOADED -> {
          up++;
          bytes += blob.size();
        }
        case SKIPPED -> skip++;
        case MOUNTED -> mount++;
      }
    }
    return new PushResult.PlatformPush(child.descriptor().platform(), child.descriptor(), tags, bytes, up, skip,
        mount);
  }

  /** The children the repository already has, asked in parallel; an answer other than yes counts as no. */
  private Set<Digest> childrenPresent(String repository, List<Child> children, int parallel) {
    // hasManifest answers no for any failure: the ordinary path pushes such a child and reports a real one
    List<Boolean> there = Parallel.map(children, parallel, "multiarch-head", "push", child ->
        hasManifest(repository, child.descriptor().digest().toString(), child.descriptor().digest()));
    Set<Digest> present = new LinkedHashSet<>();
    for (int i = 0; i < children.size(); i++) {
      if (there.get(i)) {
        present.add(children.get(i).descriptor().digest());
      }
    }
    if (!present.isEmpty()) {
      log.debug("multiarch: " + present.size() + " of " + children.size() + " manifests already in " + repository);
    }
    return present;
  }

  /** Whether {@code reference} names exactly {@code digest} in the repository; any failure is a no. */
  private boolean hasManifest(String repository, String reference, Digest digest) {
    try {
      return client.headManifest(repository, reference).map(d -> digest.equals(d.digest())).orElse(false);
    } catch (RuntimeException e) {
      return false; // e.g. a registry that answers 403 for what it does not have
    }
  }

  private static List<Descriptor> blobsOf(OciLayout layout, Descriptor descriptor, byte[] bytes,
      Set<Digest> deferred) {
    ImageManifest manifest = ImageManifest.parse(bytes, descriptor.mediaType(), "manifest " + descriptor.digest());
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(manifest.config());
    blobs.addAll(manifest.layers());
    for (Descriptor blob : blobs) {
      if (!layout.hasBlob(blob.digest()) && !MediaTypes.isNonDistributable(blob.mediaType())
          && !deferred.contains(blob.digest())) {
        throw new InvalidInputException("layout", "the layout " + layout.root() + " lacks blob " + blob.digest()
            + " of manifest " + descriptor.digest() + "; rebuild it");
      }
    }
    return blobs;
  }

  private static Map<Descriptor, List<String>> platformTags(PushRequest request, List<Child> children,
      Descriptor top) {
    Map<Descriptor, List<String>> result = new LinkedHashMap<>();
    String pattern = request.platformTagPattern();
    if (pattern == null || pattern.isBlank()) {
      return result;
    }
    Map<String, Platform> taggedPlatforms = new HashMap<>();
    for (Child child : children) {
      if (child.descriptor().platform() == null || child.descriptor().platform().isUnknown()) {
        continue;
      }
      List<String> tags = new ArrayList<>();
      for (String tag : request.tags()) {
        Platform platform = child.descriptor().platform();
        // {osVersion}: a Windows image per os.version of its base shares os and architecture with the others
        String expanded = ImageName.validateTag("platformTags", PlatformPlaceholders.expand(pattern, platform,
            Map.of("tag", tag, "osVersion", platform.osVersion()), "platformTags"));
        Platform earlier = taggedPlatforms.putIfAbsent(expanded, platform);
        if (earlier != null && !earlier.equals(platform)) {
          boolean byVersion = earlier.toString().equals(platform.toString());
          throw new InvalidInputException("platformTags", "'" + pattern + "' gives the same tag " + expanded
              + " to " + earlier.describe() + " and " + platform.describe() + "; use placeholders that tell them "
              + "apart, e.g. " + (byVersion ? "{tag}-{platform}-{osVersion} (empty for images without an "
              + "os.version)" : "{tag}-{platform}"));
        }
        tags.add(expanded);
      }
      result.put(child.descriptor(), tags);
    }
    return result;
  }

  /** The layout's blobs, uploaded from its files; base layers mountable from where the build took them. */
  private Map<Digest, Outcome> pushBlobs(OciLayout layout, String repository, Map<Digest, Descriptor> blobs,
      PushRequest request, DeferredBlobSource deferred) {
    BlobCopier.Origin origin = new BlobCopier.Origin() {
      @Override
      public String mountRepository(Descriptor blob) {
        String recorded = request.mountSources().get(blob.digest());
        return recorded != null ? recorded : deferred.repositoryOn(blob, request.target().registry());
      }

      @Override
      public BlobCopier.LocalBlob fetch(Descriptor blob) throws IOException {
        if (deferred.lacks(blob.digest())) { // a base layer the build left in its registry, which cannot mount it
          return deferred.fetch(blob);
        }
        if (!layout.hasBlob(blob.digest())) { // only a foreign layer, never copied into the layout
          try {
            return ForeignLayerDownload.fetch(blob, client.options(), log);
          } catch (MultiarchException e) {
            throw new MultiarchException(e.getMessage() + ", and neither " + repository + " nor the base image's "
                + "repository on " + request.target().registry() + " has it (allowNondistributableArtifacts names "
                + request.target().registry() + "). Remove " + request.target().registry() + " from "
                + "allowNondistributableArtifacts to refer to it without pushing it, or put the base image with "
                + "its foreign layers into " + request.target().registry() + " first and build on it from there "
                + "(its layers are then mounted)", e);
          }
        }
        return new BlobCopier.LocalBlob(layout.blobPath(blob.digest()), false);
      }
    };
    Map<Digest, BlobCopier.Origin> origins = new LinkedHashMap<>();
    blobs.keySet().forEach(d -> origins.put(d, origin));
    return new BlobCopier(client, log, uploads).copy(repository, blobs.values(), origins, request.parallelUploads());
  }
}
