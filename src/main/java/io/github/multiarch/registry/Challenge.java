package io.github.multiarch.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code WWW-Authenticate} header: the scheme and its parameters (realm, service, scope, error). */
record Challenge(String scheme, Map<String, String> parameters) {
  private static final Pattern PARAMETER = Pattern.compile("([a-zA-Z_]+)=(\"([^\"]*)\"|[^,\\s]*)");

  static Challenge parse(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (space > 0) {
      Matcher m = PARAMETER.matcher(trimmed.substring(space + 1));
      while (m.find()) {
        parameters.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
      }
    }
    return new Challenge(scheme, parameters);
  }

  /** The scopes named by the {@code scope} parameter, a space-separated list (RFC 6750, section 3). */
  List<String> scopes() {
    String scope = parameters.get("scope");
    return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
  }

  /** This challenge without its request-specific {@code scope} and {@code error} parameters. */
  Challenge withoutScope() {
    Map<String, String> rest = new LinkedHashMap<>(parameters);
    rest.remove("scope");
    rest.remove("error");
    return new Challenge(scheme, rest);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }
}
