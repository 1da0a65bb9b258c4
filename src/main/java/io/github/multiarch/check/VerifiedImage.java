package io.github.multiarch.check;

import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.Platform;

/**
 * One entry of the index being verified (or the single image), and what the checks learnt about it: filled
 * by {@link ConsistencyCheck}, read by the checks after it.
 */
final class VerifiedImage {
  /** The entry's position in the index, -1 for a single image. */
  final int index;
  final Descriptor descriptor;
  Platform platform;
  Row row;
  ImageManifest manifest;
  ImageConfig config;
  boolean layersReadable = true;

  VerifiedImage(int index, Descriptor descriptor) {
    this.index = index;
    this.descriptor = descriptor;
  }
}
