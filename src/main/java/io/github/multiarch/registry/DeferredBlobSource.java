package io.github.multiarch.registry;

import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where a push gets the blobs its layout lacks by design ({@link DeferredBlobs}: base layers the build left in
 * their registry): mounted from that repository when the target is on the same registry, else downloaded from
 * it (digest checked by the client, size here) into a temporary file that is uploaded and deleted.
 */
final class DeferredBlobSource {
  private final Map<Digest, DeferredBlobs.Entry> missing;
  private final Function<String, RegistryClient> clients;
  private final Map<String, RegistryClient> byRegistry = new ConcurrentHashMap<>();

  /**
   * @param missing the blobs the layout lacks by design ({@link DeferredBlobs#missing}), read once by the push
   * @param target the push's client: also the client for a source on the target's registry
   * @param clients a client for any other registry a source is on, or null when there is none
   */
  DeferredBlobSource(Map<Digest, DeferredBlobs.Entry> missing, RegistryClient target,
      Function<String, RegistryClient> clients) {
    this.missing = missing;
    this.clients = clients;
    byRegistry.put(target.registry(), target);
  }

  /** Whether the layout lacks {@code digest} by design, with a source to get it from. */
  boolean lacks(Digest digest) {
    return missing.containsKey(digest);
  }

  /** The source repository when it is on {@code registry} (a mount needs no bytes), else null. */
  String repositoryOn(Descriptor blob, String registry) {
    DeferredBlobs.Entry entry = missing.get(blob.digest());
    if (entry == null) {
      return null;
    }
    ImageName source = ImageName.parse("source", entry.source());
    return source.registry().equals(registry) ? source.repository() : null;
  }

  /** The blob downloaded from its source into a temporary file, checked against its digest and size. */
  BlobCopier.LocalBlob fetch(Descriptor blob) throws IOException {
    DeferredBlobs.Entry entry = missing.get(blob.digest());
    ImageName source = ImageName.parse("source", entry.source());
    RegistryClient client = byRegistry.computeIfAbsent(source.registry(), registry -> {
      if (clients == null) {
        throw new MultiarchException("base layer " + blob.digest() + " is in " + source.repositoryReference()
            + ", and this push has no client for " + registry);
      }
      return clients.apply(registry);
    });
    Path temp = Files.createTempFile("multiarch-base-layer-", "");
    try {
      client.fetchBlob(source.repository(), blob.digest(), temp);
      long size = Files.size(temp);
      if (size != blob.size()) {
        throw new MultiarchException("base layer " + blob.digest() + " from " + source.repositoryReference() + " is "
            + size + " bytes, the manifest says " + blob.size() + ": refused");
      }
      return new BlobCopier.LocalBlob(temp, true);
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(temp);
      String message = "base layer " + blob.digest() + " cannot be had from " + source.repositoryReference()
          + ", where the build left it: " + e.getMessage() + " (nothing was tagged)";
      throw new MultiarchException(message, e);
    }
  }
}
