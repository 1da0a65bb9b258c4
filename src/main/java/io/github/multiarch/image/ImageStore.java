package io.github.multiarch.image;

import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.registry.BlobCopier;
import java.io.IOException;
import java.util.List;

/**
 * Where images are read from, whatever the transport: an OCI layout ({@link LayoutStore}) or a registry
 * repository ({@link RegistryStore}). The one read model of {@code create}, {@code annotate}, {@code inspect}
 * and {@code verify}: every byte it returns is checked against the digest (and size) it was asked by, manifests
 * when read, blobs while streamed. A new transport is one more implementation.
 */
public interface ImageStore extends AutoCloseable {
  /** Names the store in messages, e.g. {@code OCI layout /work/out/oci} or {@code registry.example.com/team/app}. */
  String describe();

  /**
   * The manifest or index a tag or digest names (for a layout, null names its only image).
   *
   * @throws ImageNotFoundException when there is none, saying what there is where it can
   */
  Manifest resolve(String reference);

  /**
   * A manifest or index by digest, checked against its digest and size and within the size limit of manifests.
   *
   * @throws io.github.multiarch.oci.MultiarchException when it is missing or does not match
   */
  Manifest manifest(Descriptor descriptor);

  /**
   * A blob, streamed and checked: the stream fails when the content is longer or shorter than the descriptor
   * says, or (at its end) does not match the digest.
   *
   * @throws MissingBlobException when the store does not have it
   */
  BlobInputStream openBlob(Descriptor descriptor, String what) throws IOException;

  /** A small blob (a config) read whole, checked. */
  default byte[] smallBlob(Descriptor descriptor, String what, int maxBytes) throws IOException {
    if (descriptor.size() > maxBytes) {
      throw new IOException(what + " " + descriptor.digest() + " claims " + descriptor.size() + " bytes, over the "
          + "limit of " + maxBytes);
    }
    try (BlobInputStream in = openBlob(descriptor, what)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      in.drain();
      return bytes;
    }
  }

  /** The blob as a local file to upload elsewhere: the store's own file, or a checked download deleted after. */
  BlobCopier.LocalBlob localBlob(Descriptor descriptor) throws IOException;

  /**
   * Stores a manifest or index as exactly these bytes under each tag (a layout's {@code index.json} entries, a
   * registry's tags). Its children must be in the store already.
   */
  void tag(byte[] bytes, String mediaType, List<String> tags);

  /**
   * What refers to the manifest {@code subject} (OCI 1.1 referrers: SBOMs, provenance, signature bundles), as
   * descriptors with their {@code artifactType} and annotations; none when the store keeps none.
   */
  default List<Descriptor> referrers(Digest subject) {
    return List.of();
  }

  /**
   * A small manifest (an attestation, a signature) with every blob it names, each checked; blobs over
   * {@code maxBlobBytes} are refused.
   */
  default Artifact artifact(Descriptor descriptor, int maxBlobBytes) throws IOException {
    String what = "manifest " + descriptor.digest() + " in " + describe();
    return Artifact.read(descriptor, manifest(descriptor).bytes(),
        part -> smallBlob(part, "blob of " + what, maxBlobBytes), what);
  }

  /** The repository to mount blobs from when copying to {@code registry}: this one when it is on it, else null. */
  String repositoryOn(String registry);

  /** Frees what the store holds (a registry store's downloads). */
  @Override
  void close();
}
