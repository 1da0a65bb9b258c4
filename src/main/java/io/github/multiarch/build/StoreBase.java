package io.github.multiarch.build;

import io.github.multiarch.image.CachingRegistryStore;
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
import io.github.multiarch.registry.PullSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
  /** Layers are left in the registry (see {@link RegistryAccess#deferLayers}): neither fetched nor read here. */
  private final boolean deferLayers;
  /** The image or index the reference names, resolved once for every platform (a tag is asked for once). */
  private Manifest top;

  /**
   * @param lookup the tag or digest to resolve in the store (null for a layout's only image)
   * @param sourceRepository {@code registry/repository} the base comes from, for mounting its layers on push;
   *     null for a local base
   */
  public StoreBase(String reference, ImageStore store, String lookup, String sourceRepository) {
    this(reference, store, lookup, sourceRepository, false);
  }

  /** @param deferLayers leave the layers in the registry {@code sourceRepository} names (never for a local base) */
  public StoreBase(String reference, ImageStore store, String lookup, String sourceRepository,
      boolean deferLayers) {
    this.reference = reference;
    this.store = store;
    this.lookup = lookup;
    this.sourceRepository = sourceRepository;
    this.deferLayers = deferLayers && sourceRepository != null;
  }

  /** Whether the layers stay in the base's registry, for the layout to list instead of holding them. */
  public boolean defersLayers() {
    return deferLayers;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public synchronized ResolvedBase resolve(Platform platform, String parameter) {
    return resolveAll(platform, List.of(), parameter).get(0);
  }

  /**
   * As {@link #resolve}, and for a Windows platform without an os.version one base per os.version the index
   * offers (only those of {@code osVersions} when it is not empty); see
   * {@link PlatformMatcher#selectPerOsVersion}.
   */
  @Override
  public synchronized List<ResolvedBase> resolveAll(Platform platform, List<String> osVersions, String parameter) {
    try {
      return resolveChecked(platform, osVersions, parameter);
    } catch (ImageNotFoundException e) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage(), e);
    } catch (CorruptBlobException e) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage()
          + "; the layout is damaged: copy it again (e.g. skopeo copy --all)", e);
    }
  }

  private List<ResolvedBase> resolveChecked(Platform platform, List<String> osVersions, String parameter) {
    if (top == null) {
      top = store.resolve(lookup);
    }
    Descriptor topDescriptor = top.descriptor();
    List<Descriptor> chosen;
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType(), "index " + top.digest() + " of base image "
          + reference);
      chosen = PlatformMatcher.selectPerOsVersion(index, platform, osVersions, "base image " + reference,
          parameter);
    } else if (MediaTypes.isManifest(top.mediaType())) {
      chosen = List.of(topDescriptor);
    } else {
      throw new InvalidInputException(parameter, "base image " + reference + " is " + top.mediaType()
          + ", neither an image index nor an image manifest");
    }
    List<ResolvedBase> resolved = new ArrayList<>();
    for (Descriptor entry : chosen) {
      resolved.add(resolveEntry(platform, osVersions, parameter, entry, entry == topDescriptor));
    }
    return resolved;
  }

  /** Says which mirror served the base, when one did (the summary's BASE column shows it). */
  private String mirrorNote() {
    PullSource served = store instanceof CachingRegistryStore caching ? caching.servedBy() : null;
    return served != null && served.mirror() ? " via mirror " + served.describe() : "";
  }

  private ResolvedBase resolveEntry(Platform platform, List<String> osVersions, String parameter, Descriptor chosen,
      boolean single) {
    Manifest manifestBytes = single ? top : store.manifest(chosen);
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
    if (single && !platform.canRun(declared)) {
      // a single-platform base: its config is the only statement of its platform
      throw new InvalidInputException(parameter, "base image " + reference + " is a single image for "
          + declared.describe() + ", not for " + platform.describe()
          + "; use a multi-platform base or set a base per platform");
    }
    if (single && !osVersions.isEmpty() && osVersions.stream()
        .noneMatch(v -> PlatformMatcher.buildOf(v).equals(PlatformMatcher.buildOf(declared.osVersion())))) {
      throw new InvalidInputException(parameter, "osVersions of " + platform + " lists " + String.join(", ",
          osVersions) + ", and base image " + reference + " is a single image for " + declared.describe());
    }
    for (Descriptor layer : manifest.layers()) {
      if (MediaTypes.isNonDistributable(layer.mediaType()) || deferLayers) {
        // a foreign layer (Windows bases): a node fetches it from its urls; the build only refers to it, so it
        // is neither fetched nor required here (image-spec layer.md, "Non-distributable layers"); a deferred
        // layer stays in the base's registry, and the layout lists where (DeferredBlobs)
        continue;
      }
      try {
        store.localBlob(layer); // checked (fetched first where the store lacks it) before anything is written
      } catch (IOException e) {
        throw new MultiarchException("base image " + reference + " for " + platform + ": " + e.getMessage(), e);
      }
    }
    String description = reference + " → " + (chosen.platform() != null ? chosen.platform().describe()
        : declared.describe()) + " " + chosen.digest() + mirrorNote();
    return new ResolvedBase(description, chosen, manifest, config, manifest.layers(), store, sourceRepository,
        deferLayers);
  }
}
