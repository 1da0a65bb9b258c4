package io.github.multiarch.check;

import io.github.multiarch.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where the image to verify comes from: a local OCI layout or a registry. Everything read is checked against
 * its descriptor's digest and size (manifests when read, blobs while streamed).
 */
public interface ImageContent extends AutoCloseable {
  /** Names the image in messages, e.g. {@code target/multiarch/oci:1.0} or {@code registry.example.com/app:1.0}. */
  String describe();

  /** The images or indexes to verify (a layout may name several under different tags). */
  List<Root> roots();

  /** A top-level image or index and what it is called. */
  record Root(Descriptor descriptor, String name) {}

  /**
   * The exact bytes of a manifest or index, checked against the descriptor's digest and size.
   *
   * @throws IOException when it is missing or does not match, with a message saying which
   */
  byte[] manifest(Descriptor descriptor) throws IOException;

  /**
   * Opens a blob (config or layer) for streaming. The stream fails when the content turns out longer or shorter
   * than the descriptor says or does not match its digest (at the end); a caller that reads to the end has
   * verified it.
   *
   * @throws IOException when the blob is missing
   */
  BlobInputStream blob(Descriptor descriptor, String what) throws IOException;

  /** Opens a blob and reads it whole (configs), checked. */
  default byte[] smallBlob(Descriptor descriptor, String what, int maxBytes) throws IOException {
    if (descriptor.size() > maxBytes) {
      throw new IOException(what + " " + descriptor.digest() + " claims " + descriptor.size() + " bytes, over the "
          + "limit of " + maxBytes);
    }
    try (BlobInputStream in = blob(descriptor, what)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      in.drain();
      return bytes;
    }
  }

  @Override
  void close();

  /** Reads {@code in} to its end. */
  static void drain(InputStream in) throws IOException {
    in.transferTo(java.io.OutputStream.nullOutputStream());
  }
}
