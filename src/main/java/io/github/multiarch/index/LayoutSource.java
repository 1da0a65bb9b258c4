package io.github.multiarch.index;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.OciJson;

/** An image in a local OCI layout, named by {@code oci-layout:PATH[:TAG]}. */
public final class LayoutSource implements ImageSource {
  private final String reference;
  private final OciLayout layout;
  private final String tag;

  public LayoutSource(String reference, OciLayout layout, String tag) {
    this.reference = reference;
    this.layout = layout;
    this.tag = tag;
  }

  public OciLayout layout() {
    return layout;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public ManifestBytes top() {
    Descriptor top = layout.resolve(tag);
    return new ManifestBytes(layout.readBlob(top, OciJson.MAX_MANIFEST_BYTES), top.mediaType(), top.digest());
  }

  @Override
  public ManifestBytes manifest(Descriptor descriptor) {
    return new ManifestBytes(layout.readBlob(descriptor, OciJson.MAX_MANIFEST_BYTES), descriptor.mediaType(),
        descriptor.digest());
  }

  @Override
  public byte[] smallBlob(Descriptor descriptor) {
    return layout.readBlob(descriptor, OciJson.MAX_MANIFEST_BYTES);
  }
}
