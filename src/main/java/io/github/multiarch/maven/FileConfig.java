package io.github.multiarch.maven;

/**
 * A {@code <file>} of a layer: {@code source} (file or directory, relative to the project, may hold
 * {@code {os}}, {@code {arch}}, {@code {variant}}, {@code {platform}}), {@code target} (absolute path in the
 * image) and {@code mode} (octal, e.g. 755, for regular files).
 */
public class FileConfig {
  String source;
  String target;
  String mode;
}
