package io.github.multiarch.maven;

/**
 * A {@code <file>} of a layer: {@code source} (file or directory, relative to the project, may hold
 * placeholders such as {@code {platform}} or {@code {unameMachine}}, see
 * {@link io.github.multiarch.oci.PlatformPlaceholders}), {@code target} (absolute path in the
 * image) and {@code mode} (octal, e.g. 755, for regular files).
 */
public class FileConfig {
  String source;
  String target;
  String mode;
}
