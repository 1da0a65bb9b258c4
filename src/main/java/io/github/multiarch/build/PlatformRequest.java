package io.github.multiarch.build;

import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.Platform;
import java.util.List;
import java.util.Map;

/**
 * One platform to build.
 *
 * @param annotations annotations of this platform's index entry
 * @param from the base image of this platform, or null to use the build's
 * @param layers layers only this platform gets, after the common ones
 */
public record PlatformRequest(Platform platform, Map<String, String> annotations, String from,
    List<LayerSpec> layers) {

  public PlatformRequest {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  public static PlatformRequest of(Platform platform) {
    return new PlatformRequest(platform, Map.of(), null, List.of());
  }
}
