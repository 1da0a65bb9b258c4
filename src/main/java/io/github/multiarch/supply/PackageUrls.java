package io.github.multiarch.supply;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Package URLs in their canonical form (https://github.com/package-url/purl-spec/blob/main/PURL-SPECIFICATION.rst):
 * name and version percent-encoded, qualifiers sorted by key, and empty qualifiers left out, so the same package
 * always gets the same string and a BOM's components can be keyed by it.
 */
final class PackageUrls {
  /** Docker Hub as jib-core names it; purls use the name people know (the oci type's own examples do). */
  private static final String DOCKER_HUB_API = "registry-1.docker.io";

  private PackageUrls() {}

  /**
   * {@code pkg:maven/group/artifact@version?classifier=…&type=…}: the maven type's qualifiers
   * (https://github.com/package-url/purl-spec/blob/main/types-doc/maven-definition.md), type always written as
   * cyclonedx-maven-plugin writes it, so the two agree on a library's key.
   */
  static String maven(String groupId, String artifactId, String version, String classifier, String type) {
    Map<String, String> qualifiers = new TreeMap<>();
    qualifiers.put("classifier", classifier);
    qualifiers.put("type", type == null || type.isBlank() ? "jar" : type);
    return "pkg:maven/" + encode(groupId) + "/" + encode(artifactId) + "@" + encode(version) + qualifiers(qualifiers);
  }

  /**
   * {@code pkg:oci/name@sha256%3Ahex?arch=…&repository_url=…&tag=…}: the oci type
   * (https://github.com/package-url/purl-spec/blob/main/types-doc/oci-definition.md) names an image by its
   * digest, with the last path segment of the repository as name and where it was found as repository_url.
   *
   * @param architecture the arch qualifier, or null
   * @param tag the tag qualifier, or null
   */
  static String oci(ImageName image, Digest digest, String architecture, String tag) {
    String repository = repositoryUrl(image);
    String name = repository.substring(repository.lastIndexOf('/') + 1);
    Map<String, String> qualifiers = new TreeMap<>();
    qualifiers.put("arch", architecture);
    qualifiers.put("repository_url", repository);
    qualifiers.put("tag", tag);
    return "pkg:oci/" + encode(name) + "@" + encode(digest.toString()) + qualifiers(qualifiers);
  }

  /** registry/repository as a purl's repository_url: without tag or digest, Docker Hub as docker.io. */
  static String repositoryUrl(ImageName image) {
    String registry = image.registry().equals(DOCKER_HUB_API) ? "docker.io" : image.registry();
    return registry + "/" + image.repository();
  }

  private static String qualifiers(Map<String, String> sorted) {
    StringBuilder text = new StringBuilder();
    sorted.forEach((key, value) -> {
      if (value != null && !value.isEmpty()) {
        text.append(text.length() == 0 ? '?' : '&').append(key).append('=').append(encode(value));
      }
    });
    return text.toString();
  }

  /** Percent-encodes all but the characters the purl spec leaves as they are (RFC 3986 unreserved). */
  static String encode(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return encoded.toString();
  }
}
