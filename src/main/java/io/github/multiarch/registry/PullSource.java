package io.github.multiarch.registry;

/**
 * One place an image can be read from: a mirror, or the registry the reference names (its origin).
 *
 * @param registry the host contacted ({@code host[:port]}, Docker Hub as {@code registry-1.docker.io})
 * @param repository the repository there (a mirror may keep it under another path, e.g. {@code dockerhub/library/x})
 * @param mirror whether this is a mirror rather than the origin
 * @param configuredBy where the mirror or rule was configured (the POM parameter, or a file and line), for messages
 */
public record PullSource(String registry, String repository, boolean mirror, String configuredBy) {
  /** {@code registry/repository}. */
  public String describe() {
    return registry + "/" + repository;
  }
}
