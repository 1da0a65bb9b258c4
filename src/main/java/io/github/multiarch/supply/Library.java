package io.github.multiarch.supply;

import java.util.List;
import java.util.Objects;

/**
 * A library a Java application runs with (a runtime dependency), as the build resolved it.
 *
 * @param classifier the classifier, or null
 * @param type the packaging type, {@code jar} when null
 * @param sha256Hex the SHA-256 of the file, 64 lowercase hex digits, or null when unknown
 * @param licenses license names or SPDX ids as the library declares them; empty when unknown
 */
public record Library(String groupId, String artifactId, String version, String classifier, String type,
    String sha256Hex, List<String> licenses) {

  public Library {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(version, "version");
    if (sha256Hex != null && !ImageFile.SHA256_HEX.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException("the SHA-256 of " + groupId + ":" + artifactId + ":" + version
          + " is not 64 lowercase hex digits: " + sha256Hex);
    }
    classifier = classifier == null || classifier.isBlank() ? null : classifier;
    type = type == null || type.isBlank() ? "jar" : type;
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
  }

  /** The package URL, {@code pkg:maven/group/artifact@version?[classifier=…&]type=…}. */
  public String purl() {
    return PackageUrls.maven(groupId, artifactId, version, classifier, type);
  }
}
