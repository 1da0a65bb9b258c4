package io.github.multiarch.build;

import java.util.List;
import java.util.Map;

/**
 * What the user sets in the image's run configuration. Null or empty values leave the base image's
 * settings as they are; ports, volumes and labels are added to the base's.
 *
 * @param volumes absolute paths in the image to declare as volumes ({@code Volumes} of the config)
 */
public record ContainerSpec(List<String> entrypoint, List<String> cmd, Map<String, String> environment,
    String workingDirectory, String user, List<String> ports, Map<String, String> labels, List<String> volumes) {

  public ContainerSpec {
    environment = environment == null ? Map.of() : environment;
    ports = ports == null ? List.of() : List.copyOf(ports);
    labels = labels == null ? Map.of() : labels;
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
  }

  /** Without volumes. */
  public ContainerSpec(List<String> entrypoint, List<String> cmd, Map<String, String> environment,
      String workingDirectory, String user, List<String> ports, Map<String, String> labels) {
    this(entrypoint, cmd, environment, workingDirectory, user, ports, labels, null);
  }

  public static ContainerSpec empty() {
    return new ContainerSpec(null, null, null, null, null, null, null, null);
  }
}
