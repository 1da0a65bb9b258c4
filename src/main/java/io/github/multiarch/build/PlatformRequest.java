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
 * @param entrypoint this platform's entrypoint instead of the container's (a Windows program next to Linux
 *     ones: {@code C:\app\hello.exe}), or null
 * @param cmd this platform's cmd instead of the container's, or null
 */
public record PlatformRequest(Platform platform, Map<String, String> annotations, String from,
    List<LayerSpec> layers, List<String> osVersions, List<String> entrypoint, List<String> cmd) {

  public PlatformRequest {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    layers = layers == null ? List.of() : List.copyOf(layers);
    osVersions = osVersions == null ? List.of() : List.copyOf(osVersions);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
  }

  /** A platform with the container's entrypoint and cmd. */
  public PlatformRequest(Platform platform, Map<String, String> annotations, String from, List<LayerSpec> layers,
      List<String> osVersions) {
    this(platform, annotations, from, layers, osVersions, null, null);
  }

  /** A platform built for every os.version its base offers. */
  public PlatformRequest(Platform platform, Map<String, String> annotations, String from, List<LayerSpec> layers) {
    this(platform, annotations, from, layers, List.of());
  }

  public static PlatformRequest of(Platform platform) {
    return new PlatformRequest(platform, Map.of(), null, List.of());
  }
}
