package io.github.multiarch.build;

import java.util.List;
import java.util.Map;

/**
 * What the user sets in the image's run configuration. Null or empty values leave the base image's
 * settings as they are; ports, volumes and labels are added to the base's.
 *
 * @param volumes absolute paths in the image to declare as volumes ({@code Volumes} of the config)
 * @param entrypointByOs the entrypoint of platforms of an {@code os} where it differs from {@code entrypoint}
 *     (a Java application starts with {@code C:\app\...} paths on Windows); empty when every platform has
 *     {@code entrypoint}
 */
public record ContainerSpec(List<String> entrypoint, List<String> cmd, Map<String, String> environment,
    String workingDirectory, String user, List<String> ports, Map<String, String> labels, List<String> volumes,
    Map<String, List<String>> entrypointByOs) {

  public ContainerSpec {
    environment = environment == null ? Map.of() : environment;
    ports = ports == null ? List.of() : List.copyOf(ports);
    labels = labels == null ? Map.of() : labels;
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    entrypointByOs = entrypointByOs == null ? Map.of() : Map.copyOf(entrypointByOs);
  }

  /** With one entrypoint for every platform. */
  public ContainerSpec(List<String> entrypoint, List<String> cmd, Map<String, String> environment,
      String workingDirectory, String user, List<String> ports, Map<String, String> labels, List<String> volumes) {
    this(entrypoint, cmd, environment, workingDirectory, user, ports, labels, volumes, null);
  }

  /** Without volumes. */
  public ContainerSpec(List<String> entrypoint, List<String> cmd, Map<String, String> environment,
      String workingDirectory, String user, List<String> ports, Map<String, String> labels) {
    this(entrypoint, cmd, environment, workingDirectory, user, ports, labels, null);
  }

  public static ContainerSpec empty() {
    return new ContainerSpec(null, null, null, null, null, null, null, null, null);
  }

  /** This spec with the entrypoints of platforms of some {@code os} given by {@code byOs}. */
  public ContainerSpec withEntrypointByOs(Map<String, List<String>> byOs) {
    return new ContainerSpec(entrypoint, cmd, environment, workingDirectory, user, ports, labels, volumes, byOs);
  }

  /** The entrypoint of a platform with {@code os}: its own when it has one, else {@code entrypoint}. */
  public List<String> entrypoint(String os) {
    return entrypointByOs.getOrDefault(os, entrypoint);
  }
}
