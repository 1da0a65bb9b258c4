package io.github.multiarch.image;

import io.github.multiarch.EngineLog;
import io.github.multiarch.Sizes;
import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.registry.MirroredRepository;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Fetches the blobs a layout lacks by design ({@link DeferredBlobs}: base layers {@code build} left in their
 * registry) into it, each checked against its digest and size, so that the layout is complete before it is
 * read as an image: by {@code verify}, {@code inspect}, {@code create}, or a build that takes it as its base.
 * Called with the layout before any reader is given it.
 */
public final class LayoutCompletion {
  private LayoutCompletion() {}

  /**
   * Completes {@code layout}; a layout without a record is left as it is, without a request.
   *
   * @param clients a client per registry host, asked only when something must be fetched
   * @param offline when true nothing is fetched: a layout that lacks blobs is refused
   * @return how many blobs were fetched
   */
  public static int complete(OciLayout layout, Function<String, RegistryClient> clients, boolean offline,
      EngineLog log) {
    return complete(layout, clients, RegistryMirrors.none(), offline, log);
  }

  /** As {@link #complete(OciLayout, Function, boolean, EngineLog)}, each layer read through its mirrors. */
  public static int complete(OciLayout layout, Function<String, RegistryClient> clients, RegistryMirrors mirrors,
      boolean offline, EngineLog log) {
    Map<Digest, DeferredBlobs.Entry> missing = DeferredBlobs.missing(layout);
    if (missing.isEmpty()) {
      if (!DeferredBlobs.listed(layout).isEmpty()) {
        DeferredBlobs.completed(layout); // fetched by an earlier reader that stopped before dropping the record
      }
      return 0;
    }
    long bytes = missing.values().stream().mapToLong(e -> e.blob().size()).sum();
    if (offline) {
      throw new MultiarchException("the layout " + layout.root() + " lacks " + missing.size() + " base layers ("
          + Sizes.human(bytes) + ") that the build left in their registry (" + DeferredBlobs.FILE + "), and the build "
          + "is offline: run once online to fetch them, or build with baseLayers=copy");
    }
    log.info("multiarch: fetching " + missing.size() + " base layers (" + Sizes.human(bytes) + ") into "
        + layout.root() + " before reading it: the build left them in their registry (baseLayers)");
    Map<String, RegistryClient> byHost = new HashMap<>();
    for (DeferredBlobs.Entry entry : missing.values()) {
      // by digest: any mirror of the source may serve it, mirror-by-digest-only ones included
      ImageName source = ImageName.parse("source", entry.source() + "@" + entry.blob().digest());
      fetch(layout, new MirroredRepository(source, mirrors, host -> byHost.computeIfAbsent(host, clients), log), source,
          entry.blob());
    }
    DeferredBlobs.completed(layout);
    return missing.size();
  }

  /** One blob into the layout: the client checks its digest while downloading; its size is checked here. */
  private static void fetch(OciLayout layout, MirroredRepository reads, ImageName source, Descriptor blob) {
    try {
      RegistryStore.fetchInto(reads, blob.digest(), layout);
    } catch (MultiarchException e) {
      throw new MultiarchException("base layer " + blob.digest() + " cannot be fetched from "
          + source.repositoryReference() + " into the layout " + layout.root() + ": " + e.getMessage()
          + "; the base image's registry must still hold it (or build again with baseLayers=copy)", e);
    }
    try {
      long size = Files.size(layout.blobPath(blob.digest()));
      if (size != blob.size()) {
        Files.deleteIfExists(layout.blobPath(blob.digest()));
        throw new MultiarchException("base layer " + blob.digest() + " from " + source.repositoryReference() + " is "
            + size + " bytes, the manifest says " + blob.size() + ": refused");
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot check " + layout.blobPath(blob.digest()) + ": " + e.getMessage(), e);
    }
  }
}
