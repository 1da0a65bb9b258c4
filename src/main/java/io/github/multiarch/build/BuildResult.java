package io.github.multiarch.build;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.Platform;
import java.nio.file.Path;
import java.util.List;

/**
 * What a build wrote.
 *
 * @param index the index (or Docker list) descriptor
 * @param layout the OCI layout directory
 * @param tarball the layout tar, or null
 * @param metadata the JSON metadata file
 */
public record BuildResult(Descriptor index, List<PlatformImage> images, Path layout, Path tarball,
    Path metadata, List<String> tags) {

  /** One platform's image. */
  public record PlatformImage(Platform platform, Descriptor manifest, Digest configDigest, long layersSize,
      int layerCount, String base, String baseRepository, List<Digest> baseLayers) {}
}
