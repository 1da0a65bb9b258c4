package io.github.multiarch.supply;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SPDX license identifiers (https://spdx.org/licenses/) this plugin knows, and the license names POMs
 * commonly use for them. A small table on purpose: a name maps to an id only where the name leaves no doubt
 * which license it is; anything else stays a name, which CycloneDX allows (license.name).
 */
final class SpdxLicenses {
  /** Ids a BOM may carry as license.id; each is on the SPDX list (the tests check it against spdx.schema.json). */
  static final Set<String> KNOWN_IDS = Set.of("0BSD", "Apache-1.1", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause",
      "BSL-1.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "EPL-1.0", "EPL-2.0", "GPL-2.0-only",
      "GPL-2.0-with-classpath-exception", "GPL-3.0-only", "ISC", "LGPL-2.1-only", "LGPL-2.1-or-later",
      "LGPL-3.0-only", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "Unlicense", "UPL-1.0", "Zlib");

  /** Lower-case names, as POMs write them, of licenses whose id is certain. */
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("apache license, version 2.0", "Apache-2.0"),
      Map.entry("the apache software license, version 2.0", "Apache-2.0"),
      Map.entry("the apache license, version 2.0", "Apache-2.0"),
      Map.entry("apache license 2.0", "Apache-2.0"),
      Map.entry("apache 2.0", "Apache-2.0"),
      Map.entry("apache 2", "Apache-2.0"),
      Map.entry("apache license v2.0", "Apache-2.0"),
      Map.entry("mit license", "MIT"),
      Map.entry("the mit license", "MIT"),
      Map.entry("eclipse public license - v 2.0", "EPL-2.0"),
      Map.entry("eclipse public license v2.0", "EPL-2.0"),
      Map.entry("eclipse public license 2.0", "EPL-2.0"),
      Map.entry("eclipse public license - v 1.0", "EPL-1.0"),
      Map.entry("eclipse public license 1.0", "EPL-1.0"),
      Map.entry("bsd-3-clause", "BSD-3-Clause"),
      Map.entry("bsd 3-clause", "BSD-3-Clause"),
      Map.entry("bsd 3-clause license", "BSD-3-Clause"),
      Map.entry("the bsd 3-clause license", "BSD-3-Clause"),
      Map.entry("new bsd license", "BSD-3-Clause"),
      Map.entry("revised bsd license", "BSD-3-Clause"),
      Map.entry("bsd-2-clause", "BSD-2-Clause"),
      Map.entry("bsd 2-clause license", "BSD-2-Clause"),
      Map.entry("the bsd 2-clause license", "BSD-2-Clause"),
      Map.entry("mozilla public license version 2.0", "MPL-2.0"),
      Map.entry("mozilla public license, version 2.0", "MPL-2.0"),
      Map.entry("cc0", "CC0-1.0"),
      Map.entry("public domain, per creative commons cc0", "CC0-1.0"),
      Map.entry("the unlicense", "Unlicense"),
      Map.entry("universal permissive license, version 1.0", "UPL-1.0"));

  private SpdxLicenses() {}

  /** The SPDX id {@code text} is, or names with certainty; empty when it is neither. */
  static Optional<String> idOf(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    for (String id : KNOWN_IDS) {
      if (id.equalsIgnoreCase(trimmed)) {
        return Optional.of(id);
      }
    }
    return Optional.ofNullable(NAMES.get(trimmed.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")));
  }

  /** True when {@code text} is exactly an id of {@link #KNOWN_IDS}, as a BOM's license.id must be. */
  static boolean isKnownId(String text) {
    return text != null && KNOWN_IDS.contains(text);
  }
}
