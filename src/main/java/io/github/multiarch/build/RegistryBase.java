package io.github.multiarch.build;

import io.github.multiarch.layout.CorruptBlobException;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.RegistryClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A base image in a registry. Only what the chosen platforms need is fetched — the index, the chosen
 * manifests, their configs and layers — each verified against its digest and kept in a cache layout
 * shared between builds, so a later build needs no network and a push can mount the base's layers.
 * A tag is remembered in the cache's {@code index.json}, so an offline build finds it too.
 */
public final class RegistryBase implements BaseImage {
  /** Corrupt cache files replaced in one resolution before giving up (a disk that keeps corrupting them). */
  private static final int MAX_REPAIRS = 8;
  private final String reference;
  private final ImageName name;
  private final RegistryAccess access;
  /** The cache layout, or null until something is to be read from it or written to it (nothing made in vain). */
  private OciLayout cache;
  private RegistryClient client;
  private Descriptor top;
  private final java.util.Set<Digest> verified = new java.util.HashSet<>();

  public RegistryBase(String reference, ImageName name, RegistryAccess access) {
    this.reference = reference;
    this.name = name;
    this.access = access;
    this.cache = existingCache(access);
  }

  private static synchronized OciLayout existingCache(RegistryAccess access) {
    if (Files.isRegularFile(access.cacheDirectory().resolve("oci-layout"))) {
      return OciLayout.open(access.cacheDirectory());
    }
    return null;
  }

  /** The cache, created when the first blob is to be stored in it: a refused build leaves no empty cache. */
  private OciLayout writableCache() {
    if (cache == null) {
      synchronized (RegistryBase.class) {
        cache = existingCache(access);
        if (cache == null) {
          cache = OciLayout.create(access.cacheDirectory());
        }
      }
    }
    return cache;
  }

  private boolean cached(Digest digest) {
    return cache != null && cache.hasBlob(digest);
  }

  @Override
  public String reference() {
    return reference;
  }

  /** The repository the base came from, {@code registry/repository}, to mount its layers from. */
  public ImageName name() {
    return name;
  }

  /**
   * Chooses the platform's image, fetching what the cache lacks. Every blob taken from the cache is checked
   * against its digest (and size) first; a corrupt one is dropped, with a warning, and fetched again (offline,
   * the build stops and says so).
   */
  @Override
  public synchronized ResolvedBase resolve(Platform platform, String parameter) {
    for (int repaired = 0; ; repaired++) {
      try {
        return resolveFromCache(platform, parameter);
      } catch (CorruptBlobException e) {
        if (access.offline() || repaired >= MAX_REPAIRS) {
          throw new InvalidInputException("from", "base image " + reference + ": " + e.getMessage() + " in the cache "
              + access.cacheDirectory() + (access.offline() ? ", and the build is offline: build once online to fetch "
              + "it again" : ""), e);
        }
        access.log().warn("multiarch: base image " + reference + ": " + e.getMessage() + " in the cache; dropped, "
            + "fetching it again");
        try {
          Files.deleteIfExists(e.file());
        } catch (java.io.IOException deleteFailed) {
          throw new MultiarchException("cannot delete the corrupt cache file " + e.file() + ": "
              + deleteFailed.getMessage(), deleteFailed);
        }
      }
    }
  }

  private ResolvedBase resolveFromCache(Platform platform, String parameter) {
    Descriptor topDescriptor = top();
    ensureManifest(topDescriptor);
    Descriptor chosen = topDescriptor;
    if (MediaTypes.isIndex(topDescriptor.mediaType())) {
      ImageIndex index = ImageIndex.parse(cache.readBlob(topDescriptor, OciJson.MAX_MANIFEST_BYTES),
          topDescriptor.mediaType(), "index of base image " + reference);
      chosen = PlatformMatcher.select(index, platform, "base image " + reference, parameter);
    }
    ensureManifest(chosen);
    ImageManifest manifest = ImageManifest.parse(cache.readBlob(chosen, OciJson.MAX_MANIFEST_BYTES),
        chosen.mediaType(), "manifest " + chosen.digest() + " of base image " + reference);
    ensureBlob(manifest.config());
    ImageConfig config = ImageConfig.parse(cache.readBlob(manifest.config(), OciJson.MAX_MANIFEST_BYTES),
        "config of base image " + reference);
    if (chosen == topDescriptor && !platform.canRun(config.platform())) {
      throw new InvalidInputException(parameter, "base image " + reference + " is a single image for "
          + config.platform().describe() + ", not for " + platform.describe()
          + "; use a multi-platform base or set a base per platform");
    }
    for (Descriptor layer : manifest.layers()) {
      ensureBlob(layer);
    }
    String description = reference + " → " + (chosen.platform() != null ? chosen.platform().describe()
        : config.platform().describe()) + " " + chosen.digest();
    return new ResolvedBase(description, chosen, manifest, config, manifest.layers(), cache,
        name.repositoryReference());
  }

  private Descriptor top() {
    if (top != null) {
      return top;
    }
    String cacheRef = name.repositoryReference() + (name.digest() != null ? "@" + name.digest()
        : ":" + (name.tag() != null ? name.tag() : "latest"));
    if (name.digest() != null) {
      Digest digest = Digest.parse(name.digest());
      if (cached(digest)) {
        top = findInCacheIndex(cacheRef);
      }
    } else if (access.offline()) {
      top = findInCacheIndex(cacheRef);
      if (top == null) {
        throw new InvalidInputException("from", "base image " + reference + " is not in the cache "
            + access.cacheDirectory() + " and the build is offline; build once online first");
      }
    }
    if (top == null) {
      if (access.offline()) {
        throw new InvalidInputException("from", "base image " + reference + " is not in the cache "
            + access.cacheDirectory() + " and the build is offline; build once online first");
      }
      String ref = name.digest() != null ? name.digest() : name.tag() != null ? name.tag() : "latest";
      RegistryClient.Manifest fetched = client().getManifest(name.repository(), ref).orElseThrow(
          () -> new InvalidInputException("from", "base image " + reference + " does not exist in "
              + name.registry()));
      Descriptor stored = writableCache().writeBlob(fetched.mediaType(), fetched.bytes());
      top = stored;
      remember(cacheRef, stored);
    }
    return top;
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
    synchronized (RegistryBase.class) {
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
    if (access.offline()) {
      throw new InvalidInputException("from", "manifest " + descriptor.digest() + " of base image " + reference
          + " is not in the cache and the build is offline");
    }
    RegistryClient.Manifest fetched = client().getManifest(name.repository(), descriptor.digest().toString())
        .orElseThrow(() -> new MultiarchException("base image " + reference + " lists manifest "
            + descriptor.digest() + ", which its registry does not have"));
    writableCache().writeBlob(fetched.mediaType(), fetched.bytes());
  }

  private void ensureBlob(Descriptor blob) {
    if (cached(blob.digest())) {
      if (verified.add(blob.digest())) { // once per build, however many platforms share it
        try {
          cache.verifyBlob(blob.digest(), blob.size());
        } catch (CorruptBlobException e) {
          verified.remove(blob.digest());
          throw e;
        }
      }
      return;
    }
    if (access.offline()) {
      throw new InvalidInputException("from", "blob " + blob.digest() + " of base image " + reference
          + " is not in the cache and the build is offline");
    }
    var temp = writableCache().newBlobTempFile();
    try {
      client().fetchBlob(name.repository(), blob.digest(), temp);
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(temp); // a refused (tampered) or broken download leaves nothing in the cache
      } catch (java.io.IOException ignored) {
        // a leftover .partial-* file is harmless
      }
      throw e;
    }
    cache.adoptBlob(temp, blob.digest());
  }

  private RegistryClient client() {
    if (client == null) {
      client = access.clients().apply(name.registry());
    }
    return client;
  }
}
