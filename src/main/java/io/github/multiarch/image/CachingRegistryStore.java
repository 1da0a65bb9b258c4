package io.github.multiarch.image;

import io.github.multiarch.EngineLog;
import io.github.multiarch.layout.CorruptBlobException;
import io.github.multiarch.layout.KnownDigests;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.registry.BlobCopier;
import io.github.multiarch.registry.MirroredRepository;
import io.github.multiarch.registry.PullSource;
import io.github.multiarch.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A registry repository read through a cache shared between builds (an OCI layout): what is asked for is
 * fetched once, checked against its digest, and kept, so a later build, offline ones included, needs no
 * network; a tag is remembered in the cache's {@code index.json}. Every blob taken from the cache is checked
 * against its digest and size first (once per store); a corrupt one is dropped, with a warning, and fetched
 * again, or, offline, refused.
 */
public final class CachingRegistryStore implements ImageStore {
  private final String reference;
  private final String parameter;
  private final ImageName name;
  private final Supplier<MirroredRepository> repositories;
  private final Path cacheDirectory;
  private final boolean offline;
  private final EngineLog log;
  private final Set<Digest> verified = new HashSet<>();
  /** The cache layout, or null until something is read from it or written to it (nothing made in vain). */
  private OciLayout cache;
  private MirroredRepository repository;
  private KnownDigests knownDigests;

  /**
   * @param reference the reference as the user wrote it, for messages
   * @param parameter the parameter it came from, named when the image cannot be had
   * @param repositories the repository's reads (its mirrors, then the registry), asked for only when something must
   *     be fetched
   */
  public CachingRegistryStore(String reference, String parameter, ImageName name,
      Supplier<MirroredRepository> repositories, Path cacheDirectory, boolean offline, EngineLog log) {
    this.reference = reference;
    this.parameter = parameter;
    this.name = name;
    this.repositories = repositories;
    this.cacheDirectory = cacheDirectory;
    this.offline = offline;
    this.log = log;
    this.cache = existingCache(cacheDirectory);
  }

  @Override
  public String describe() {
    return reference;
  }

  /** The tag or digest the reference names ({@code latest} when it names neither). */
  public String lookup() {
    return name.digest() != null ? name.digest() : name.tag() != null ? name.tag() : "latest";
  }

  @Override
  public synchronized Manifest resolve(String lookup) {
    String cacheRef = name.repositoryReference() + (lookup.startsWith("sha256:") ? "@" : ":") + lookup;
    Descriptor top = null;
    if (lookup.startsWith("sha256:") ? cached(Digest.parse(lookup)) : offline) {
      top = findInCacheIndex(cacheRef);
    }
    if (top == null) {
      refuseOffline("base image " + reference + " is not in the cache " + cacheDirectory
          + " and the build is offline; build once online first");
      RegistryClient.Manifest fetched = repository().getManifest(lookup).orElseThrow(
          () -> new ImageNotFoundException("it does not exist (no manifest " + lookup + " in "
              + name.repositoryReference() + ")"));
      top = writableCache().writeBlob(fetched.mediaType(), fetched.bytes());
      remember(cacheRef, top);
    }
    return manifest(top);
  }

  @Override
  public synchronized Manifest manifest(Descriptor descriptor) {
    for (int attempt = 0; ; attempt++) {
      ensureManifest(descriptor);
      try {
        return new Manifest(cache.readBlob(descriptor, OciJson.MAX_MANIFEST_BYTES), descriptor.mediaType(),
            descriptor.digest());
      } catch (CorruptBlobException e) {
        drop(e, attempt);
      }
    }
  }

  @Override
  public synchronized BlobInputStream openBlob(Descriptor descriptor, String what) throws IOException {
    ensureBlob(descriptor);
    return new BlobInputStream(Files.newInputStream(cache.blobPath(descriptor.digest())), descriptor, what);
  }

  /** The cached file itself, checked (and fetched first when the cache lacks it). */
  @Override
  public synchronized BlobCopier.LocalBlob localBlob(Descriptor descriptor) {
    ensureBlob(descriptor);
    return new BlobCopier.LocalBlob(cache.blobPath(descriptor.digest()), false);
  }

  @Override
  public void tag(byte[] bytes, String mediaType, List<String> tags) {
    for (String tag : tags) {
      repository().origin().putManifest(name.repository(), tag, bytes, mediaType);
    }
  }

  @Override
  public String repositoryOn(String registry) {
    return name.registry().equals(registry) ? name.repository() : null;
  }

  @Override
  public void close() {
    // the cache is kept between builds
  }

  // ------------------------------------------------------------------------------------------ the cache

  private static synchronized OciLayout existingCache(Path directory) {
    return Files.isRegularFile(directory.resolve("oci-layout")) ? OciLayout.open(directory) : null;
  }

  /** The cache, created when the first blob is to be stored in it: a refused build leaves no empty cache. */
  private OciLayout writableCache() {
    if (cache == null) {
      synchronized (CachingRegistryStore.class) {
        cache = existingCache(cacheDirectory);
        if (cache == null) {
          cache = OciLayout.create(cacheDirectory);
        }
      }
    }
    return cache;
  }

  private boolean cached(Digest digest) {
    return cache != null && cache.hasBlob(digest);
  }

  private Descriptor findInCacheIndex(String cacheRef) {
    if (cache == null) {
      return null;
    }
    for (Descriptor d : cache.readIndexJson().manifests()) {
      if (cacheRef.equals(d.annotations().get(OciLayout.REF_NAME)) && cache.hasBlob(d.digest())) {
        return d.withAnnotations(Map.of());
      }
    }
    return null;
  }

  private void remember(String cacheRef, Descriptor descriptor) {
    synchronized (CachingRegistryStore.class) {
      List<Descriptor> entries = new ArrayList<>();
      for (Descriptor d : cache.readIndexJson().manifests()) {
        if (!cacheRef.equals(d.annotations().get(OciLayout.REF_NAME))) {
          entries.add(d);
        }
      }
      entries.add(descriptor.withAnnotations(Map.of(OciLayout.REF_NAME, cacheRef)));
      cache.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of()));
    }
  }

  private void ensureManifest(Descriptor descriptor) {
    if (cached(descriptor.digest())) {
      return; // read whole, and checked, by readBlob
    }
    refuseOffline("manifest " + descriptor.digest() + " of base image " + reference
        + " is not in the cache and the build is offline");
    RegistryClient.Manifest fetched = repository().getManifest(descriptor.digest().toString())
        .orElseThrow(() -> new MultiarchException("base image " + reference + " lists manifest "
            + descriptor.digest() + ", which its registry does not have"));
    writableCache().writeBlob(fetched.mediaType(), fetched.bytes());
  }

  /** The digests earlier builds checked, kept in the cache directory (shared with the layer cache). */
  private synchronized KnownDigests knownDigests() {
    if (knownDigests == null) {
      knownDigests = KnownDigests.in(cacheDirectory);
    }
    return knownDigests;
  }

  private void ensureBlob(Descriptor blob) {
    for (int attempt = 0; ; attempt++) {
      if (cached(blob.digest())) {
        if (verified.contains(blob.digest())) {
          return;
        }
        try {
          knownDigests().verifyBlob(cache, blob.digest(), blob.size()); // not re-read when a build checked it
          verified.add(blob.digest()); // once per store, however many platforms share it
          return;
        } catch (CorruptBlobException e) {
          drop(e, attempt);
          continue;
        }
      }
      refuseOffline("blob " + blob.digest() + " of base image " + reference + " is not in the cache and the build "
          + "is offline");
      RegistryStore.fetchInto(repository(), blob.digest(), writableCache());
      verified.add(blob.digest()); // checked against its digest while downloaded
      knownDigests().written(cache.blobPath(blob.digest()), blob.digest()); // and by the next build, not read again
      return;
    }
  }

  /** A corrupt cache file: dropped with a warning, to be fetched again; offline (or again and again), refused. */
  private void drop(CorruptBlobException e, int attempt) {
    if (offline || attempt >= 3) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage() + " in the cache "
          + cacheDirectory + (offline ? ", and the build is offline: build once online to fetch it again" : ""), e);
    }
    log.warn("multiarch: base image " + reference + ": " + e.getMessage() + " in the cache; dropped, fetching it "
        + "again");
    try {
      Files.deleteIfExists(e.file());
    } catch (IOException deleteFailed) {
      throw new MultiarchException("cannot delete the corrupt cache file " + e.file() + ": "
          + deleteFailed.getMessage(), deleteFailed);
    }
  }

  private void refuseOffline(String message) {
    if (offline) {
      throw new InvalidInputException(parameter, message);
    }
  }

  /**
   * What served what this store fetched: the registry itself or a mirror; null while everything came from the cache
   * (or nothing was read yet). The repository there holds every blob fetched, for a later fetch of the same base.
   */
  public synchronized PullSource servedBy() {
    return repository == null ? null : repository.servedBy();
  }

  private MirroredRepository repository() {
    if (repository == null) {
      repository = repositories.get();
    }
    return repository;
  }
}
