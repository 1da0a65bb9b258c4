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
 * @param osVersions for a Windows platform without an os.version: the os.versions of the base to build for
 *     (a build such as {@code 10.0.20348} or a full version), empty for every one the base offers
 */
public record PlatformRequest(Platform platform, Map<String, String> annotations, String from,
    List<LayerSpec> layers, List<String> osVersions) {

  public PlatformRequest {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    layers = layers == null ? List.of() : List.copyOf(layers);
    osVersions = osVersions == null ? List.of() : List.copyOf(osVersions);
  }

  /** A platform built for every os.version its base offers. */
  public PlatformRequest(Platform platform, Map<String, String> annotations, String from, List<LayerSpec> layers) {
    this(platform, annotations, from, layers, List.of());
  }

  public static PlatformRequest of(Platform platform) {
    return new PlatformRequest(platform, Map.of(), null, List.of());
  }
}
