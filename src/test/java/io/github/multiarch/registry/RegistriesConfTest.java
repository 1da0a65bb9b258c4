package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.testing.CollectingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registries.conf reader (a strict TOML subset), prefix matching as containers/image does it, and the order in
 * which mirrors and the registry are asked.
 */
class RegistriesConfTest {
  @TempDir
  Path tmp;

  private static final String ENTERPRISE = """
      # a CI runner's registries.conf
      unqualified-search-registries = ["docker.io", 'quay.io']   # short names: not used by a build
      short-name-mode = "enforcing"

      [aliases]
      "fedora" = "registry.fedoraproject.org/fedora"

      [[registry]]
      prefix = "docker.io"
      location = "docker.io"
      blocked = true

      [[registry.mirror]]
      location = "nexus.corp:8443/dockerhub"

      [[registry.mirror]]
      location = "harbor.corp/proxy"
      insecure = true
      pull-from-mirror = "digest-only"

      [[registry]]
      prefix = "docker.io/library/eclipse-temurin"
      location = "artifactory.corp/temurin"
      mirror-by-digest-only = true
      [[registry.mirror]]
      location = "cache.corp/temurin-by-digest"

      [[registry]]
      prefix = "*.internal.corp"
      insecure = true

      [[registry]]
      location = "quay.io"
      [[registry.mirror]]
      location = "quay-mirror.corp"
      pull-from-mirror = "tag-only"

      [[registry]]
      prefix = "docker.io"
      location = "ignored.example"
      """;

  private RegistryMirrors mirrors(String conf, Map<String, List<String>> pom) {
    CollectingLog log = new CollectingLog();
    return RegistryMirrors.of(pom, "registryMirrors", RegistriesConf.parse(tmp.resolve("registries.conf"), conf, log));
  }

  private static List<String> sources(RegistryMirrors mirrors, String reference) {
    return mirrors.sourcesFor(ImageName.parse("from", reference)).stream()
        .map(s -> (s.mirror() ? "mirror " : "") + s.describe()).toList();
  }

  @Test
  void tagPullsSkipDigestOnlyMirrorsAndABlockedRegistryIsNotAsked() {
    RegistryMirrors mirrors = mirrors(ENTERPRISE, Map.of());
    assertEquals(List.of("mirror nexus.corp:8443/dockerhub/library/alpine"), sources(mirrors, "alpine:3"));
    assertEquals(List.of("mirror nexus.corp:8443/dockerhub/library/alpine", "mirror harbor.corp/proxy/library/alpine"),
        sources(mirrors, "alpine@sha256:" + "a".repeat(64)));
  }

  @Test
  void longestPrefixWinsAndItsLocationReplacesThePrefix() {
    RegistryMirrors mirrors = mirrors(ENTERPRISE, Map.of());
    assertEquals(List.of("artifactory.corp/temurin"), sources(mirrors, "eclipse-temurin:21-jre"),
        "mirror-by-digest-only: a tag goes to the location only");
    assertEquals(List.of("mirror cache.corp/temurin-by-digest", "artifactory.corp/temurin"),
        sources(mirrors, "docker.io/library/eclipse-temurin@sha256:" + "b".repeat(64)));
    assertEquals(List.of("mirror nexus.corp:8443/dockerhub/library/eclipse-temurin-extra"),
        sources(mirrors, "eclipse-temurin-extra:1"), "a prefix matches only up to /, : or @");
  }

  @Test
  void tagOnlyMirrorsAreForTagsAndWildcardsMatchSubdomains() {
    RegistryMirrors mirrors = mirrors(ENTERPRISE, Map.of());
    assertEquals(List.of("mirror quay-mirror.corp/org/app", "quay.io/org/app"), sources(mirrors, "quay.io/org/app:1"));
    assertEquals(List.of("quay.io/org/app"), sources(mirrors, "quay.io/org/app@sha256:" + "c".repeat(64)));
    assertEquals(List.of("ghcr.io/org/app"), sources(mirrors, "ghcr.io/org/app:1"), "no rule: the registry only");
    assertEquals(Set.of("harbor.corp"), mirrors.insecureHosts(), "a wildcard prefix without location names no host");
    assertEquals(List.of("a.internal.corp/x"), sources(mirrors, "a.internal.corp/x:1"));
    assertEquals(-1, RegistryMirrors.matchLength("a.internal.corp.evil.com/x", "*.internal.corp"));
    assertEquals(-1, RegistryMirrors.matchLength("evil.com/a.internal.corp/x", "*.internal.corp"));
    assertEquals("a.internal.corp".length(), RegistryMirrors.matchLength("a.internal.corp/x", "*.internal.corp"));
    assertEquals(-1, RegistryMirrors.matchLength("docker.iox/a", "docker.io"));
    assertEquals(9, RegistryMirrors.matchLength("docker.io", "docker.io"));
  }

  @Test
  void pomMirrorsComeFirstThenRegistriesConfThenTheRegistry() {
    Map<String, List<String>> pom = new LinkedHashMap<>();
    pom.put("quay.io", List.of("pom-mirror.corp:5000", "second.corp"));
    pom.put("docker.io", List.of("hub-mirror.corp"));
    RegistryMirrors mirrors = mirrors(ENTERPRISE, pom);
    assertEquals(List.of("mirror pom-mirror.corp:5000/org/app", "mirror second.corp/org/app",
        "mirror quay-mirror.corp/org/app", "quay.io/org/app"), sources(mirrors, "quay.io/org/app:1"));
    assertEquals(List.of("mirror hub-mirror.corp/library/alpine", "mirror nexus.corp:8443/dockerhub/library/alpine"),
        sources(mirrors, "alpine"), "Docker Hub written docker.io in the POM; its registry still blocked");
    RegistryMirrors pomOnly = RegistryMirrors.of(pom, "registryMirrors", (RegistriesConf) null);
    assertEquals(List.of("mirror hub-mirror.corp/library/alpine", "index.docker.io/library/alpine"),
        sources(pomOnly, "index.docker.io/library/alpine:3"));
  }

  @Test
  void aBlockedRegistryWithoutMirrorsIsRefusedNamingTheFileAndLine() {
    RegistryMirrors mirrors = mirrors("""
        [[registry]]
        location = "registry.example.com"
        blocked = true
        """, Map.of());
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> mirrors.sourcesFor(ImageName.parse("from", "registry.example.com/app:1")));
    assertTrue(e.getMessage().contains("blocked") && e.getMessage().contains("registries.conf, line 1"), e.getMessage());
  }

  @Test
  void shortNameSettingsAreIgnoredWithANoteAndEqualPrefixesKeepTheFirst() {
    CollectingLog log = new CollectingLog();
    RegistriesConf.parse(tmp.resolve("registries.conf"), ENTERPRISE, log);
    String all = String.join("\n", log.lines());
    assertTrue(all.contains("line 2: unqualified-search-registries is ignored"), all);
    assertTrue(all.contains("line 3: short-name-mode is ignored"), all);
    assertTrue(all.contains("line 5: aliases is ignored"), all);
    assertTrue(all.contains("prefix docker.io is configured again"), all);
  }

  @Test
  void version1IsReadAsContainersImageConvertsIt() {
    RegistryMirrors mirrors = mirrors("""
        [registries.search]
        registries = ['docker.io']
        [registries.insecure]
        registries = [
          "plain.corp:5000",   # a multi-line array
        ]
        [registries.block]
        registries = ["blocked.example"]
        """, Map.of());
    assertEquals(Set.of("plain.corp:5000"), mirrors.insecureHosts());
    assertThrows(MultiarchException.class, () -> mirrors.sourcesFor(ImageName.parse("from", "blocked.example/a:1")));
  }

  @Test
  void malformedInputIsRefusedWithFileAndLine() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("[[registry]]\nlocation = \"a.example\"\nblocked = yes\n", "line 3: unsupported value 'yes'");
    cases.put("[[registry]]\nlocation = \"a.example\nx\n", "line 2: a string is not closed");
    cases.put("[[registry]]\nlocation = { host = \"a\" }\n", "line 2: inline tables are not supported");
    cases.put("[[registry]]\nlocation = \"https://a.example\"\n", "line 2: location 'https://a.example'");
    cases.put("[[registry]]\nprefix = \"a.example\"\n", "line 1: a [[registry]] with prefix a.example needs a location");
    cases.put("[[registry]]\nlocation = \"a.example\"\nmirror-by-digest-only = true\n[[registry.mirror]]\n"
        + "location = \"m.example\"\npull-from-mirror = \"digest-only\"\n", "line 6: pull-from-mirror cannot be set");
    cases.put("[[registry]]\nlocation = \"a.example\"\n[[registry.mirror]]\nlocation = \"m\"\npull-from-mirror = \"some\"\n",
        "line 5: pull-from-mirror is \"all\", \"digest-only\" or \"tag-only\"");
    cases.put("[[registry]]\nlocation = \"a.example\"\nmirrors = []\n", "line 3: unknown key 'mirrors'");
    cases.put("[[registry]]\nlocation = \"a.example\"\nlocation = \"b.example\"\n", "line 3: 'location' is defined twice");
    cases.put("[[registry]\n", "line 1: an array of tables is written [[name]]");
    cases.put("x.y = 1\n", "line 1: dotted keys are not supported");
    cases.put("a = [\"x\"\n", "the array is not closed");
    cases.put("[[registry]]\nlocation = \"a.example\"\ninsecure = \"true\"\n", "line 3: insecure must be true or false");
    cases.put("[registries.search]\nregistries = []\n[[registry]]\nlocation = \"a\"\n", "mixes the version 1 format");
    cases.forEach((text, expected) -> {
      Path file = tmp.resolve("bad.conf");
      try {
        Files.writeString(file, text);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> RegistriesConf.read(file, new CollectingLog()), text);
      assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected),
          "for\n" + text + "expected '" + expected + "' in: " + e.getMessage());
      assertEquals(RegistriesConf.PARAMETER, e.parameter());
    });
  }

  @Test
  void stringsEscapesAndCommentsAreReadExactly() {
    TomlSubset.Table root = TomlSubset.parse("t", "a = \"x#y\\\"z\\u00e9\" # c\nb = 'c:\\\\d'\nn = -1_000\n");
    assertEquals("x#y\"z\u00e9", root.get("a").value());
    assertEquals("c:\\\\d", root.get("b").value());
    assertEquals(-1000L, root.get("n").value());
  }

  @Test
  void theFileIsLookedUpAsContainersImageDoes() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path etc = Files.createDirectories(tmp.resolve("etc/containers")).getParent();
    assertTrue(RegistriesConf.locate(Map.of(), home, etc).isEmpty());
    Path system = Files.writeString(etc.resolve("containers/registries.conf"), "");
    assertEquals(system, RegistriesConf.locate(Map.of(), home, etc).orElseThrow());
    Path user = Files.writeString(Files.createDirectories(home.resolve(".config/containers")).resolve("registries.conf"),
        "");
    assertEquals(user, RegistriesConf.locate(Map.of(), home, etc).orElseThrow());
    Path xdg = Files.writeString(Files.createDirectories(tmp.resolve("xdg/containers")).resolve("registries.conf"), "");
    assertEquals(xdg, RegistriesConf.locate(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString()), home, etc)
        .orElseThrow());
    Path named = Files.writeString(tmp.resolve("named.conf"), "");
    assertEquals(named, RegistriesConf.locate(Map.of(RegistriesConf.ENV, named.toString(),
        "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()), home, etc).orElseThrow());
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> RegistriesConf.locate(Map.of(RegistriesConf.ENV, tmp.resolve("nope").toString()), home, etc));
    assertTrue(missing.getMessage().contains(RegistriesConf.ENV), missing.getMessage());
  }

  @Test
  void aDropInThatConfiguresRegistriesIsNamedSinceDropInsAreNotRead() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dropins/registries.conf.d"));
    Files.writeString(dir.resolve("000-shortnames.conf"), "[aliases]\n  \"alpine\" = \"docker.io/library/alpine\"\n");
    Files.writeString(dir.resolve("50-mirror.conf"), "[[registry]]\nlocation = \"docker.io\"\n");
    Path conf = Files.writeString(tmp.resolve("dropins/registries.conf"), "");
    CollectingLog log = new CollectingLog();
    RegistriesConf.read(conf, log);
    assertEquals(1, log.lines().stream().filter(l -> l.startsWith("WARN")).count(), log.text());
    assertTrue(log.text().contains("WARN multiarch: " + dir.resolve("50-mirror.conf") + " configures registries, "
        + "and drop-in files are not read"), log.text());
  }

  @Test
  void pomEntriesAreChecked() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> RegistryMirrors.of(
        Map.of("docker.io", List.of("https://mirror.corp")), "registryMirrors", (RegistriesConf) null));
    assertEquals("registryMirrors", e.parameter());
    assertTrue(e.getMessage().contains("'https://mirror.corp' is not a valid mirror of docker.io"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> RegistryMirrors.of(Map.of("docker.io", List.of()),
        "registryMirrors", (RegistriesConf) null));
  }
}
