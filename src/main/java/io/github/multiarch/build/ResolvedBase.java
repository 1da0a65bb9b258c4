package io.github.multiarch.build;

import io.github.multiarch.image.ImageStore;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageManifest;
import java.util.List;

/**
 * The base of one platform's image.
 *
 * @param description how it was chosen, for the log (e.g. "oci-layout:base:1 → linux/arm/v7 sha256:…")
 * @param manifestDescriptor the chosen manifest, or null for scratch
 * @param config a copy of the base's config (or an empty one for scratch), to be changed by the build
 * @param layers the base's layers, in order
 * @param store where the layers' blobs are (checked when the base was resolved), or null when there are none
 * @param sourceRepository {@code registry/repository} the base came from, for mounting its layers on push;
 *     null for scratch and local bases
 * @param layersDeferred the layers were not fetched: the output layout lists them with {@code sourceRepository}
 *     instead of holding them ({@link io.github.multiarch.layout.DeferredBlobs})
 */
public record ResolvedBase(String description, Descriptor manifestDescriptor, ImageManifest manifest,
    ImageConfig config, List<Descriptor> layers, ImageStore store, String sourceRepository,
    boolean layersDeferred) {

  public ResolvedBase {
    layers = List.copyOf(layers);
    layersDeferred = layersDeferred && sourceRepository != null;
  }

  /** A base whose layers are all at hand in {@code store}. */
  public ResolvedBase(String description, Descriptor manifestDescriptor, ImageManifest manifest,
      ImageConfig config, List<Descriptor> layers, ImageStore store, String sourceRepository) {
    this(description, manifestDescriptor, manifest, config, layers, store, sourceRepository, false);
  }
}
