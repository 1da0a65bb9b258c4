package io.github.multiarch.layer;

import io.github.multiarch.oci.Digest;
import java.util.List;

/**
 * A layer written into a layout: compressed digest and size (what the manifest lists), the digest of the
 * uncompressed tar (the config's diff ID), and every regular file in it with its content digest (what an
 * SBOM lists; known without reading the layer again, since writing or looking it up in the cache hashed them).
 */
public record BuiltLayer(String name, Digest digest, long size, Digest diffId, List<FileDigest> files) {
  public BuiltLayer {
    files = List.copyOf(files);
  }

  /** A regular file of the layer: its absolute path in the container, size, and SHA-256 of its content. */
  public record FileDigest(String path, long size, Digest sha256) {}
}
