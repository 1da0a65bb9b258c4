package io.github.multiarch.build;

import io.github.multiarch.layout.CorruptBlobException;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;

/** A base image held in a local OCI layout: an index (one image per platform) or a single image. */
public final class LayoutBase implements BaseImage {
  private final String reference;
  private final OciLayout layout;
  private final String tag;
  private final java.util.Set<io.github.multiarch.oci.Digest> verified = new java.util.HashSet<>();

  public LayoutBase(String reference, OciLayout layout, String tag) {
    this.reference = reference;
    this.layout = layout;
    this.tag = tag;
  }

  @Override
  public String reference() {
    return reference;
  }

  /**
   * Chooses the platform's image and checks every blob it takes from the layout against its digest and size
   * (index, manifest and config as they are parsed, each layer in full), before anything is built from it.
   */
  @Override
  public synchronized ResolvedBase resolve(Platform platform, String parameter) {
    try {
      return resolveChecked(platform, parameter);
    } catch (CorruptBlobException e) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage()
          + "; the layout is damaged: copy it again (e.g. skopeo copy --all)", e);
    }
  }

  private ResolvedBase resolveChecked(Platform platform, String parameter) {
    Descriptor top;
    try {
      top = layout.resolve(tag);
    } catch (MultiarchException e) {
      throw new InvalidInputException(parameter, "base image " + reference + ": " + e.getMessage(), e);
    }
    Descriptor chosen = top;
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index = ImageIndex.parse(layout.readBlob(top, OciJson.MAX_MANIFEST_BYTES), top.mediaType(),
          "index " + top.digest() + " of base image " + reference);
      chosen = PlatformMatcher.select(index, platform, "base image " + reference, parameter);
    } else if (!MediaTypes.isManifest(top.mediaType())) {
      throw new InvalidInputException(parameter, "base image " + reference + " is " + top.mediaType()
          + ", neither an image index nor an image manifest");
    }
    ImageManifest manifest = ImageManifest.parse(layout.readBlob(chosen, OciJson.MAX_MANIFEST_BYTES),
        chosen.mediaType(), "manifest " + chosen.digest() + " of base image " + reference);
    ImageConfig config = ImageConfig.parse(layout.readBlob(manifest.config(), OciJson.MAX_MANIFEST_BYTES),
        "config " + manifest.config().digest() + " of base image " + reference);
    Platform declared = config.platform();
    if (chosen == top && !platform.canRun(declared)) {
      // a single-platform base: its config is the only statement of its platform
      throw new InvalidInputException(parameter, "base image " + reference + " is a single image for "
          + declared.describe() + ", not for " + platform.describe()
          + "; use a multi-platform base or set a base per platform");
    }
    for (Descriptor layer : manifest.layers()) {
      if (!layout.hasBlob(layer.digest())) {
        throw new MultiarchException("base image " + reference + " for " + platform + " lacks layer "
            + layer.digest() + " in " + layout.root());
      }
      if (!verified.contains(layer.digest())) { // a layer shared by several platforms is read once
        layout.verifyBlob(layer.digest(), layer.size());
        verified.add(layer.digest());
      }
    }
    String description = reference + " → " + (chosen.platform() != null ? chosen.platform().describe()
        : declared.describe()) + " " + chosen.digest();
    return new ResolvedBase(description, chosen, manifest, config, manifest.layers(), layout, null);
  }
}
