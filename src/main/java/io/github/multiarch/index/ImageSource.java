package io.github.multiarch.index;

import io.github.multiarch.image.ImageNotFoundException;
import io.github.multiarch.image.ImageStore;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;

/**
 * An existing image or index that {@code create}, {@code annotate} or {@code inspect} works on: the reference
 * as the user wrote it, and the {@link ImageStore} (layout or registry) it is read from, which checks every
 * byte against its digest.
 */
public final class ImageSource implements AutoCloseable {
  private final String parameter;
  private final String reference;
  private final ImageStore store;
  private final String lookup;
  private final String tag;

  /**
   * @param parameter the parameter the reference came from, named when it names nothing
   * @param reference the reference as the user wrote it
   * @param lookup the tag or digest to read in the store (null for a layout's only image)
   * @param tag the tag written in the reference, or null
   */
  public ImageSource(String parameter, String reference, ImageStore store, String lookup, String tag) {
    this.parameter = parameter;
    this.reference = reference;
    this.store = store;
    this.lookup = lookup;
    this.tag = tag;
  }

  /** The reference as the user wrote it. */
  public String reference() {
    return reference;
  }

  public ImageStore store() {
    return store;
  }

  /** The tag the reference names, or null. */
  public String tag() {
    return tag;
  }

  /** The image or index the reference names. */
  public Manifest top() {
    try {
      return store.resolve(lookup);
    } catch (ImageNotFoundException e) {
      throw new InvalidInputException(parameter, reference + ": " + e.getMessage(), e);
    }
  }

  /** A manifest the top index lists, by digest, checked against it. */
  public Manifest manifest(Descriptor descriptor) {
    try {
      return store.manifest(descriptor);
    } catch (MultiarchException e) {
      throw new MultiarchException(reference + " lists manifest " + descriptor.digest() + ": " + e.getMessage(), e);
    }
  }

  /** A small blob (a config), checked against its digest. */
  public byte[] smallBlob(Descriptor descriptor) {
    try {
      return store.smallBlob(descriptor, "blob", OciJson.MAX_MANIFEST_BYTES);
    } catch (IOException e) {
      throw new MultiarchException("cannot read blob " + descriptor.digest() + " of " + reference + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
