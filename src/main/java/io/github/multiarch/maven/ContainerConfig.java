package io.github.multiarch.maven;

import java.util.List;
import java.util.Map;

/**
 * The {@code <container>} element: the image's run configuration. Names follow Jib's where the concept is
 * the same. {@code mainClass} turns on the Java application layout (dependencies, snapshot dependencies,
 * resources and classes as separate layers under /app, and a java entrypoint).
 */
public class ContainerConfig {
  List<String> entrypoint;
  List<String> cmd;
  Map<String, String> environment;
  String workingDirectory;
  String user;
  List<String> ports;
  Map<String, String> labels;
  String mainClass;
  List<String> jvmFlags;
}
