package io.github.multiarch.layer;

import io.github.multiarch.oci.Digest;

/**
 * A layer written into a layout: compressed digest and size (what the manifest lists) and the digest of
 * the uncompressed tar (the config's diff ID).
 */
public record BuiltLayer(String name, Digest digest, long size, Digest diffId) {}
