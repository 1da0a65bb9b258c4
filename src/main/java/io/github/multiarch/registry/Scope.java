package io.github.multiarch.registry;

import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * {@code scope} (which may be null) plus those of {@code asked} it does not already cover, e.g. a
   * challenge's {@code repository:a:push,pull} is covered by {@code repository:a:pull,push}.
   */
  static Scope with(Scope scope, List<String> asked) {
    List<String> values = new ArrayList<>(scope == null ? List.of() : scope.values());
    for (String wanted : asked) {
      if (values.stream().noneMatch(have -> covers(have, wanted))) {
        values.add(wanted);
      }
    }
    return new Scope(List.copyOf(values));
  }

  private static boolean covers(String have, String wanted) {
    int h = have.lastIndexOf(':');
    int w = wanted.lastIndexOf(':');
    if (h < 0 || w < 0 || !have.substring(0, h).equals(wanted.substring(0, w))) {
      return have.equals(wanted);
    }
    List<String> actions = Arrays.asList(have.substring(h + 1).split(","));
    return actions.containsAll(Arrays.asList(wanted.substring(w + 1).split(",")));
  }

  String key() {
    return String.join(" ", values);
  }
}
