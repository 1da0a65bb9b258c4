package io.github.multiarch.registry;

import java.util.List;

/**
 * The token scopes a request needs, e.g. {@code repository:team/app:pull,push}. A mount needs pull on the
 * source repository as well; each scope goes to the token service as its own {@code scope} parameter.
 */
record Scope(List<String> values) {
  static Scope pull(String repository) {
    return new Scope(List.of("repository:" + repository + ":pull"));
  }

  static Scope push(String repository) {
    return new Scope(List.of("repository:" + repository + ":pull,push"));
  }

  static Scope pushAndPull(String repository, String sourceRepository) {
    return new Scope(List.of("repository:" + repository + ":pull,push", "repository:" + sourceRepository + ":pull"));
  }

  String key() {
    return String.join(" ", values);
  }
}
