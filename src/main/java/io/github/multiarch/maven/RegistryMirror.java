package io.github.multiarch.maven;

import java.util.List;

/**
 * A {@code <mirror>} of {@code <registryMirrors>}, as Jib writes it: a registry and the mirrors that serve its
 * images, tried in order before it.
 */
public class RegistryMirror {
  /** The registry the mirrors serve: {@code docker.io}, {@code ghcr.io}, {@code host:port}. */
  String registry;
  /** The mirrors, in order: {@code host[:port]}, or {@code host[:port]/path} for one that keeps images under a path. */
  List<String> mirrors;

  /** Made empty by Maven, which then sets the fields from the POM. */
  public RegistryMirror() {}

  RegistryMirror(String registry, List<String> mirrors) {
    this.registry = registry;
    this.mirrors = mirrors;
  }
}
