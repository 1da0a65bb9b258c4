package io.github.multiarch.supply;

import io.github.multiarch.oci.Digest;
import java.util.Objects;

/**
 * An image by name and the manifest digest the build resolved it to, such as a base image.
 *
 * @param name the reference as configured, e.g. {@code eclipse-temurin:21-jre} or
 *     {@code registry.example.com/base/runtime:1.2}
 * @param digest the digest of the manifest the build used (for a multi-platform base, that platform's manifest)
 */
public record PinnedImage(String name, Digest digest) {
  public PinnedImage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
  }
}
