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
  /** Jib's name for {@code cmd}: the image's default arguments. */
  List<String> args;
  /** Absolute paths declared as volumes. */
  List<String> volumes;
  /**
   * The {@code created} time of the configs: {@code EPOCH}, {@code USE_CURRENT_TIMESTAMP} or an ISO-8601 time.
   * Default: {@code project.build.outputTimestamp}, else {@code EPOCH} (as Jib).
   */
  String creationTime;
  /**
   * The modification time of every file in the built layers, same values. Default:
   * {@code project.build.outputTimestamp}, else {@code EPOCH_PLUS_SECOND} (as Jib).
   */
  String filesModificationTime;
  Map<String, String> environment;
  String workingDirectory;
  String user;
  List<String> ports;
  Map<String, String> labels;
  String mainClass;
  List<String> jvmFlags;
  /**
   * Write the classpath into the entrypoint ({@code -cp /app/resources:/app/classes:/app/libs/a.jar:…})
   * instead of {@code -cp @/app/jib-classpath-file}, for bases whose Java (8) reads no argument files. Unset:
   * true when {@code target/classes} holds classes compiled for Java 8 or older. Jib's name.
   */
  Boolean expandClasspathDependencies;
}
