package io.github.multiarch.build;

import java.util.List;
import java.util.Map;

/**
 * What the user sets in the image's run configuration. Null or empty values leave the base image's
 * settings as they are.
 */
public record ContainerSpec(List<String> entrypoint, List<String> cmd, Map<String, String> environment,
    String workingDirectory, String user, List<String> ports, Map<String, String> labels) {

  public ContainerSpec {
    environment = environment == null ? Map.of() : environment;
    ports = ports == null ? List.of() : List.copyOf(ports);
    labels = labels == null ? Map.of() : labels;
  }

  public static ContainerSpec empty() {
    return new ContainerSpec(null, null, null, null, null, null, null);
  }
}
