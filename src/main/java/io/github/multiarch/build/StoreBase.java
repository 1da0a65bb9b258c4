package io.github.multiarch.build;

import io.github.multiarch.image.ImageNotFoundException;
import io.github.multiarch.image.ImageStore;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.layout.CorruptBlobException;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.io.IOException;

/**
 * A base image read from an {@link ImageStore}: a local layout or archive ({@code LayoutStore}), or a registry
 * through the base-image cache ({@code CachingRegistryStore}). The platform's image is chosen the way a
 * runtime chooses it, and every blob the build will take from it is checked (or fetched and checked) before
 * anything is written.
 */
public final class StoreBase implements BaseImage {
  private final String reference;
  private final ImageStore store;
  private final String lookup;
  private final String sourceRepository;
  /** The image or index the reference names, resolved once for every platform (a tag is asked for once). */
  private Manifest top;

  /**
   * @param lookup the tag or digest to resolve in the store (null for a layout's only image)
   * @param sourceRepository {@code registry/repository} the base comes from, for mounting its layers on push;
   *     null for a local base
   */
  public StoreBase(String reference, ImageStore store, String lookup, String sourceRepository) {
    this.reference = reference;
    this.store = store;
    this.lookup = lookup;
    this.sourceRepository = sourceRepository;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public synchronized ResolvedBase resolve(Platform platform, String parameter) {
    try {
      return resolveChecked(platform, parameter);
    } catch (ImageNotFoundException e) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage(), e);
    } catch (CorruptBlobException e) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage()
          + "; the layout is damaged: copy it again (e.g. skopeo copy --all)", e);
    }
  }

  private ResolvedBase resolveChecked(Platform platform, String parameter) {
    if (top == null) {
      top = store.resolve(lookup);
    }
    Descriptor topDescriptor = top.descriptor();
    Descriptor chosen = topDescriptor;
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType(), "index " + top.digest() + " of base image "
          + reference);
      chosen = PlatformMatcher.select(index, platform, "base image " + reference, parameter);
    } else if (!MediaTypes.isManifest(top.mediaType())) {
      throw new InvalidInputException(parameter, "base image " + reference + " is " + top.mediaType()
          + ", neither an image index nor an image manifest");
    }
    Manifest manifestBytes = chosen == topDescriptor ? top : store.manifest(chosen);
    ImageManifest manifest = ImageManifest.parse(manifestBytes.bytes(), chosen.mediaType(), "manifest "
        + chosen.digest() + " of base image " + reference);
    ImageConfig config;
    try {
      config = ImageConfig.parse(store.smallBlob(manifest.config(), "config", OciJson.MAX_MANIFEST_BYTES),
          "config " + manifest.config().digest() + " of base image " + reference);
    } catch (IOException e) {
      throw new MultiarchException("base image " + reference + ": " + e.getMessage(), e);
    }
    Platform declared = config.platform();
    if (chosen == topDescriptor && !platform.canRun(declared)) {
      // a single-platform base: its config is the only statement of its platform
      throw new InvalidInputException(parameter, "base image " + reference + " is a single image for "
          + declared.describe() + ", not for " + platform.describe()
          + "; use a multi-platform base or set a base per platform");
    }
    for (Descriptor layer : manifest.layers()) {
      try {
        store.localBlob(layer); // checked (fetched first where the store lacks it) before anything is written
      } catch (IOException e) {
        throw new MultiarchException("base image " + reference + " for " + platform + ": " + e.getMessage(), e);
      }
    }
    String description = reference + " → " + (chosen.platform() != null ? chosen.platform().describe()
        : declared.describe()) + " " + chosen.digest();
    return new ResolvedBase(description, chosen, manifest, config, manifest.layers(), store, sourceRepository);
  }
}
