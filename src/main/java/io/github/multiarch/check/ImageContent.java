package io.github.multiarch.check;

import io.github.multiarch.image.BlobInputStream;
import io.github.multiarch.image.ImageNotFoundException;
import io.github.multiarch.image.ImageStore;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.image.RegistryStore;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.registry.Attachments;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code verify} verifies: the images or indexes to check (every one a layout's {@code index.json} names,
 * or the one a registry reference names) and the {@link ImageStore} they are read from, which checks every
 * byte against its descriptor (manifests when read, blobs while streamed).
 */
public final class ImageContent implements AutoCloseable {
  /** The largest attestation or signature blob read whole; an SBOM of a very large image stays far below. */
  static final int MAX_ATTACHED_BLOB = 64 * 1024 * 1024;

  /** A top-level image or index and what it is called. */
  public record Root(Descriptor descriptor, String name) {}

  private final ImageStore store;
  private final String description;
  private final Supplier<List<Root>> roots;

  private ImageContent(ImageStore store, String description, Supplier<List<Root>> roots) {
    this.store = store;
    this.description = description;
    this.roots = roots;
  }

  /** Every distinct image or index of a layout. */
  public static ImageContent of(LayoutStore layout) {
    return new ImageContent(layout, layout.describe(), () -> layout.all().stream()
        .map(n -> new Root(n.descriptor(), n.name())).toList());
  }

  /** The image or index a tag or digest names in a registry repository. */
  public static ImageContent of(RegistryStore registry, String reference) {
    String description = registry.describe() + (reference.contains(":") ? "@" : ":") + reference;
    return new ImageContent(registry, description, () -> List.of(new Root(registry.resolve(reference).descriptor(),
        description)));
  }

  /** Names the image in messages, e.g. {@code OCI layout target/multiarch/oci} or {@code registry.example.com/app:1.0}. */
  public String describe() {
    return description;
  }

  /** The images or indexes to verify. */
  public List<Root> roots() {
    return roots.get();
  }

  /**
   * The exact bytes of a manifest or index, checked against the descriptor's digest and size.
   *
   * @throws IOException when it is missing or does not match, with a message saying which
   */
  public byte[] manifest(Descriptor descriptor) throws IOException {
    try {
      return store.manifest(descriptor).bytes();
    } catch (MultiarchException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** A blob (config or layer), streamed and checked (see {@link ImageStore#openBlob}). */
  public BlobInputStream blob(Descriptor descriptor, String what) throws IOException {
    return store.openBlob(descriptor, what);
  }

  /** A blob read whole (configs), checked. */
  public byte[] smallBlob(Descriptor descriptor, String what, int maxBytes) throws IOException {
    return store.smallBlob(descriptor, what, maxBytes);
  }

  /** What refers to {@code subject} in the store (OCI 1.1 referrers), with artifact type and annotations. */
  public List<Descriptor> referrers(Digest subject) {
    return store.referrers(subject);
  }

  /** Whether signatures can be there: a registry's are made by push; a layout before push has none. */
  public boolean holdsSignatures() {
    return !(store instanceof LayoutStore);
  }

  /** cosign's legacy signature manifest of {@code subject} ({@code sha256-<hex>.sig}) with its blobs, if any. */
  public Optional<Artifact> legacySignature(Digest subject) throws IOException {
    Manifest manifest;
    try {
      manifest = store.resolve(Attachments.legacyTag(subject));
    } catch (ImageNotFoundException e) {
      return Optional.empty();
    }
    return Optional.of(artifact(manifest.descriptor()));
  }

  /** A small manifest (an attestation, a signature) with every blob it names, each checked. */
  public Artifact artifact(Descriptor descriptor) throws IOException {
    try {
      return store.artifact(descriptor, MAX_ATTACHED_BLOB);
    } catch (MultiarchException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
