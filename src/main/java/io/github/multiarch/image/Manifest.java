package io.github.multiarch.image;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;

/** A manifest or index exactly as stored: its bytes, media type, and the digest of those bytes. */
public record Manifest(byte[] bytes, String mediaType, Digest digest) {
  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, bytes.length);
  }
}
