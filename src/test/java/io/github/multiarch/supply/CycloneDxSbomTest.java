package io.github.multiarch.supply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycloneDxSbomTest {
  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  static final Tool TOOL = new Tool("multiarch-maven-plugin", "0.1.0");
  static final String IMAGE = "registry.example.com/team/hello";
  static final Digest AMD64_MANIFEST = Digest.sha256("amd64 manifest");
  static final Digest ARM64_MANIFEST = Digest.sha256("arm64 manifest");
  static final PinnedImage BASE = new PinnedImage("registry.example.com/base/runtime:1.2", Digest.sha256("base"));

  @TempDir
  Path tmp;

  static String sha(String content) {
    return Digest.sha256(content).hex();
  }

  static List<ImageFile> files(String arch) {
    return List.of(new ImageFile("/usr/local/bin/greet", 1000, sha("greet for " + arch)),
        new ImageFile("/etc/greet.conf", 12, sha("greeting=hello")),
        new ImageFile("/usr/local/lib/libgreet.so", 500, sha("libgreet for " + arch)));
  }

  static List<Library> libraries() {
    return List.of(
        new Library("com.fasterxml.jackson.core", "jackson-databind", "2.17.2", null, "jar", sha("databind"),
            List.of("The Apache Software License, Version 2.0")),
        new Library("io.netty", "netty-transport-native-epoll", "4.1.112.Final", "linux-x86_64", "jar",
            sha("epoll"), List.of("Apache License, Version 2.0")),
        new Library("org.example", "odd", "1.0", null, null, null, List.of("Example Community License", "MIT")));
  }

  static SbomInput input(Platform platform, Digest manifest, List<ImageFile> files, List<Library> libraries) {
    return new SbomInput(IMAGE, List.of("1.0.0", "latest"), platform, manifest, files, libraries, null, BASE,
        CREATED, TOOL);
  }

  static SbomInput amd64() {
    return input(Platform.parse("platforms", "linux/amd64"), AMD64_MANIFEST, files("amd64"), libraries());
  }

  static JsonNode parse(byte[] bom) {
    return OciJson.parse(bom, "sbom");
  }

  /** type → name → component, for the assertions. */
  static Map<String, JsonNode> components(JsonNode bom, String type) {
    Map<String, JsonNode> byName = new TreeMap<>();
    for (JsonNode c : bom.get("components")) {
      if (type.equals(c.path("type").asText())) {
        byName.put(c.path("group").isMissingNode() ? c.get("name").asText()
            : c.get("group").asText() + ":" + c.get("name").asText(), c);
      }
    }
    return byName;
  }

  static String sha256Of(JsonNode component) {
    for (JsonNode hash : component.path("hashes")) {
      if (hash.path("alg").asText().equals("SHA-256")) {
        return hash.path("content").asText();
      }
    }
    return null;
  }

  static Map<String, String> properties(JsonNode component) {
    Map<String, String> properties = new TreeMap<>();
    component.path("properties").forEach(p -> properties.merge(p.get("name").asText(), p.get("value").asText(),
        (a, b) -> a + "," + b));
    return properties;
  }

  @Test
  void twoPlatformsWithDifferentBinariesGetDifferentSbomsWithEachFilesSha256() {
    byte[] amd64 = CycloneDxSbom.write(amd64());
    byte[] arm64 = CycloneDxSbom.write(input(Platform.parse("platforms", "linux/arm64"), ARM64_MANIFEST,
        files("arm64"), libraries()));
    CycloneDxSchema.assertValid15(amd64);
    CycloneDxSchema.assertValid15(arm64);
    assertFalse(Arrays.equals(amd64, arm64));

    JsonNode amd = parse(amd64);
    JsonNode arm = parse(arm64);
    assertEquals(sha("greet for amd64"), sha256Of(components(amd, "file").get("/usr/local/bin/greet")));
    assertEquals(sha("greet for arm64"), sha256Of(components(arm, "file").get("/usr/local/bin/greet")));
    assertEquals(sha("libgreet for arm64"), sha256Of(components(arm, "file").get("/usr/local/lib/libgreet.so")));
    assertEquals(sha("greeting=hello"), sha256Of(components(amd, "file").get("/etc/greet.conf")));
    assertEquals(sha("greeting=hello"), sha256Of(components(arm, "file").get("/etc/greet.conf")));
    assertEquals("1000", properties(components(amd, "file").get("/usr/local/bin/greet")).get("multiarch:file:size"));

    assertEquals("amd64", properties(amd.at("/metadata/component")).get("multiarch:platform:architecture"));
    assertEquals("arm64", properties(arm.at("/metadata/component")).get("multiarch:platform:architecture"));
    assertEquals("v8", properties(arm.at("/metadata/component")).get("multiarch:platform:variant"));
    assertEquals("linux", properties(arm.at("/metadata/component")).get("multiarch:platform:os"));
    assertNotEquals(amd.get("serialNumber"), arm.get("serialNumber"));
  }

  @Test
  void describesTheImageAsTheBomsSubject() {
    JsonNode bom = parse(CycloneDxSbom.write(amd64()));
    assertEquals("CycloneDX", bom.get("bomFormat").asText());
    assertEquals("1.5", bom.get("specVersion").asText());
    assertEquals(1, bom.get("version").asInt());
    assertEquals("2026-01-01T00:00:00Z", bom.at("/metadata/timestamp").asText());
    JsonNode tool = bom.at("/metadata/tools/components/0");
    assertEquals("application", tool.get("type").asText());
    assertEquals("multiarch-maven-plugin", tool.get("name").asText());
    assertEquals("0.1.0", tool.get("version").asText());

    JsonNode image = bom.at("/metadata/component");
    assertEquals("container", image.get("type").asText());
    assertEquals(IMAGE, image.get("name").asText());
    assertEquals("1.0.0", image.get("version").asText());
    assertEquals("pkg:oci/hello@sha256%3A" + AMD64_MANIFEST.hex()
        + "?arch=amd64&repository_url=registry.example.com%2Fteam%2Fhello", image.get("purl").asText());
    assertEquals("1.0.0,latest", properties(image).get("multiarch:image:tag"));

    // the image depends on every component, and each component has a bom-ref
    Set<String> refs = new HashSet<>();
    bom.get("components").forEach(c -> refs.add(c.get("bom-ref").asText()));
    assertEquals(bom.get("components").size(), refs.size(), "bom-refs are unique");
    JsonNode imageDependencies = bom.at("/dependencies/0");
    assertEquals(image.get("bom-ref").asText(), imageDependencies.get("ref").asText());
    Set<String> dependsOn = new HashSet<>();
    imageDependencies.get("dependsOn").forEach(d -> dependsOn.add(d.asText()));
    assertEquals(refs, dependsOn);
  }

  @Test
  void anImageWithoutDigestOrTagsHasNoPurlAndNoVersion() {
    byte[] bytes = CycloneDxSbom.write(new SbomInput(IMAGE, List.of(), Platform.parse("platforms", "linux/arm/v7"),
        null, files("arm"), List.of(), null, null, CREATED, TOOL));
    CycloneDxSchema.assertValid15(bytes);
    JsonNode image = parse(bytes).at("/metadata/component");
    assertFalse(image.has("purl"));
    assertFalse(image.has("version"));
    assertEquals("v7", properties(image).get("multiarch:platform:variant"));
    assertTrue(components(parse(bytes), "container").isEmpty(), "scratch: no base image component");
  }

  @Test
  void theSameInputInAnotherOrderGivesTheSameBytes() {
    byte[] first = CycloneDxSbom.write(amd64());
    List<ImageFile> files = new ArrayList<>(files("amd64"));
    List<Library> libraries = new ArrayList<>(libraries());
    Random random = new Random(7);
    for (int i = 0; i < 5; i++) {
      Collections.shuffle(files, random);
      Collections.shuffle(libraries, random);
      byte[] again = CycloneDxSbom.write(input(Platform.parse("platforms", "linux/amd64"), AMD64_MANIFEST, files,
          libraries));
      assertArrayEquals(first, again);
    }
    List<Library> reordered = libraries().stream().map(l -> new Library(l.groupId(), l.artifactId(), l.version(),
        l.classifier(), l.type(), l.sha256Hex(), reversed(l.licenses()))).toList();
    assertArrayEquals(first, CycloneDxSbom.write(input(Platform.parse("platforms", "linux/amd64"), AMD64_MANIFEST,
        files("amd64"), reordered)));
  }

  @Test
  void theSerialNumberIsANameBasedUuidOfTheContent() {
    JsonNode bom = parse(CycloneDxSbom.write(amd64()));
    String serial = bom.get("serialNumber").asText();
    assertTrue(serial.startsWith("urn:uuid:"), serial);
    UUID uuid = UUID.fromString(serial.substring("urn:uuid:".length()));
    assertEquals(5, uuid.version());
    assertEquals(2, uuid.variant());
    SbomInput later = new SbomInput(IMAGE, List.of("1.0.0", "latest"), Platform.parse("platforms", "linux/amd64"),
        AMD64_MANIFEST, files("amd64"), libraries(), null, BASE, CREATED.plusSeconds(1), TOOL);
    assertNotEquals(serial, parse(CycloneDxSbom.write(later)).get("serialNumber").asText());
  }

  @Test
  void librariesGetMavenPurlsWithTheirClassifierAndSpdxIds() {
    JsonNode bom = parse(CycloneDxSbom.write(amd64()));
    Map<String, JsonNode> libraries = components(bom, "library");
    JsonNode databind = libraries.get("com.fasterxml.jackson.core:jackson-databind");
    assertEquals("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.2?type=jar",
        databind.get("purl").asText());
    assertEquals(databind.get("purl").asText(), databind.get("bom-ref").asText());
    assertEquals("2.17.2", databind.get("version").asText());
    assertEquals(sha("databind"), sha256Of(databind));
    assertEquals("Apache-2.0", databind.at("/licenses/0/license/id").asText());

    JsonNode epoll = libraries.get("io.netty:netty-transport-native-epoll");
    assertEquals("pkg:maven/io.netty/netty-transport-native-epoll@4.1.112.Final?classifier=linux-x86_64&type=jar",
        epoll.get("purl").asText());
    assertEquals("Apache-2.0", epoll.at("/licenses/0/license/id").asText());

    JsonNode odd = libraries.get("org.example:odd");
    assertEquals("pkg:maven/org.example/odd@1.0?type=jar", odd.get("purl").asText());
    assertFalse(odd.has("hashes"), "no hash when none is known");
    assertEquals("Example Community License", odd.at("/licenses/0/license/name").asText());
    assertFalse(odd.at("/licenses/0/license").has("id"));
    assertEquals("MIT", odd.at("/licenses/1/license/id").asText());
  }

  @Test
  void theBaseImageIsAContainerComponentWithTheOciBaseProperties() {
    JsonNode base = components(parse(CycloneDxSbom.write(amd64())), "container").get(BASE.name());
    assertEquals(BASE.digest().toString(), base.get("version").asText());
    assertEquals("pkg:oci/runtime@sha256%3A" + BASE.digest().hex()
        + "?repository_url=registry.example.com%2Fbase%2Fruntime&tag=1.2", base.get("purl").asText());
    Map<String, String> properties = properties(base);
    assertEquals(BASE.name(), properties.get("org.opencontainers.image.base.name"));
    assertEquals(BASE.digest().toString(), properties.get("org.opencontainers.image.base.digest"));
  }

  @Test
  void aDockerHubBaseIsNamedAsPeopleKnowIt() {
    SbomInput input = new SbomInput(IMAGE, List.of("1"), Platform.parse("platforms", "linux/amd64"), AMD64_MANIFEST,
        List.of(), List.of(), null, new PinnedImage("eclipse-temurin:21-jre", BASE.digest()), CREATED, TOOL);
    byte[] bytes = CycloneDxSbom.write(input);
    CycloneDxSchema.assertValid15(bytes);
    JsonNode base = components(parse(bytes), "container").get("eclipse-temurin:21-jre");
    assertEquals("pkg:oci/eclipse-temurin@sha256%3A" + BASE.digest().hex()
        + "?repository_url=docker.io%2Flibrary%2Feclipse-temurin&tag=21-jre", base.get("purl").asText());
  }

  @Test
  void aCycloneDxMavenPluginBomReplacesTheComputedLibraries() throws Exception {
    MergedLibraries merged = CycloneDxSbom.readLibraryComponents(fixture("cyclonedx-maven-plugin-bom.json"));
    byte[] bytes = CycloneDxSbom.write(amd64().withMergedLibraries(merged));
    CycloneDxSchema.assertValid15(bytes);
    JsonNode bom = parse(bytes);

    List<String> purls = new ArrayList<>();
    components(bom, "library").values().forEach(c -> purls.add(c.get("purl").asText()));
    Collections.sort(purls);
    assertEquals(List.of(
        "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.17.2?type=jar",
        "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.17.2?type=jar",
        "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.2?type=jar",
        "pkg:maven/io.netty/netty-transport-native-epoll@4.1.112.Final?classifier=linux-x86_64&type=jar",
        "pkg:maven/jakarta.annotation/jakarta.annotation-api@2.1.1?type=jar",
        "pkg:maven/org.slf4j/slf4j-api@2.0.13?type=jar"), purls,
        "the BOM's libraries, each once, instead of the computed ones (org.example:odd is gone)");

    JsonNode fixture = OciJson.parse(Files.readAllBytes(fixture("cyclonedx-maven-plugin-bom.json")), "fixture");
    JsonNode given = fixture.at("/components/0");
    JsonNode databind = components(bom, "library").get("com.fasterxml.jackson.core:jackson-databind");
    assertEquals(given, databind, "kept as the BOM gives it: publisher, description, every hash, references");
    assertEquals(8, databind.get("hashes").size());
    assertEquals("General data-binding functionality for Jackson: works on core streaming API",
        databind.get("description").asText());
    JsonNode core = components(bom, "library").get("com.fasterxml.jackson.core:jackson-core");
    assertFalse(core.get("description").asText().startsWith("duplicate"), "the first entry of a purl is kept");

    // what only CycloneDX 1.6 can say is left out of this 1.5 BOM
    JsonNode slf4j = components(bom, "library").get("org.slf4j:slf4j-api");
    assertEquals("MIT", slf4j.at("/licenses/0/license/id").asText());
    assertFalse(slf4j.at("/licenses/0/license").has("acknowledgement"));
    JsonNode jakarta = components(bom, "library").get("jakarta.annotation:jakarta.annotation-api");
    assertEquals("EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0",
        jakarta.at("/licenses/0/expression").asText());
    assertEquals("other", jakarta.at("/externalReferences/1/type").asText());

    // files and base image are still there, and the image depends on the merged libraries too
    assertEquals(3, components(bom, "file").size());
    assertEquals(1, components(bom, "container").size());
    Set<String> dependsOn = new HashSet<>();
    bom.at("/dependencies/0/dependsOn").forEach(d -> dependsOn.add(d.asText()));
    assertTrue(dependsOn.containsAll(purls));
  }

  @Test
  void mergedLibrariesWithoutBomRefGetTheirPurlAsOne() throws IOException {
    Path file = tmp.resolve("bom.json");
    Files.writeString(file, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"version\":1,\"components\":["
        + "{\"type\":\"library\",\"group\":\"g\",\"name\":\"b\",\"version\":\"1\",\"purl\":\"pkg:maven/g/b@1?type=jar\"},"
        + "{\"type\":\"library\",\"group\":\"g\",\"name\":\"a\",\"version\":\"1\",\"purl\":\"pkg:maven/g/a@1?type=jar\"},"
        + "{\"type\":\"application\",\"name\":\"not a library\"}]}");
    MergedLibraries merged = CycloneDxSbom.readLibraryComponents(file);
    assertEquals(List.of("pkg:maven/g/a@1?type=jar", "pkg:maven/g/b@1?type=jar"),
        merged.components().stream().map(c -> c.get("purl").asText()).toList(), "sorted by purl");
    byte[] bytes = CycloneDxSbom.write(amd64().withMergedLibraries(merged));
    CycloneDxSchema.assertValid15(bytes);
    assertEquals("pkg:maven/g/a@1?type=jar", components(parse(bytes), "library").get("g:a").get("bom-ref").asText());
  }

  @Test
  void aFileThatIsNotACycloneDxBomIsRefusedNamingTheFileAndWhatIsValid() throws IOException {
    Path notJson = Files.writeString(tmp.resolve("not-json.json"), "<bom/>");
    Path spdx = Files.writeString(tmp.resolve("spdx.json"), "{\"spdxVersion\":\"SPDX-2.3\"}");
    Path old = Files.writeString(tmp.resolve("old.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.2\"}");
    Path badComponents = Files.writeString(tmp.resolve("components.json"),
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":{}}");
    Path missing = tmp.resolve("target/bom.json");
    for (Path file : List.of(notJson, spdx, old, badComponents, missing)) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> CycloneDxSbom.readLibraryComponents(file));
      assertEquals("sbomSource", e.parameter());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("valid: a CycloneDX JSON BOM"), e.getMessage());
      assertTrue(e.getMessage().contains("cyclonedx-maven-plugin writes to target/bom.json"), e.getMessage());
    }
    assertTrue(assertThrows(InvalidInputException.class, () -> CycloneDxSbom.readLibraryComponents(spdx))
        .getMessage().contains("not a CycloneDX BOM"));
    assertTrue(assertThrows(InvalidInputException.class, () -> CycloneDxSbom.readLibraryComponents(old))
        .getMessage().contains("CycloneDX 1.2"));
  }

  @Test
  void theSchemaCheckRejectsABrokenBom() {
    byte[] good = CycloneDxSbom.write(amd64());
    assertTrue(CycloneDxSchema.violations15(good).isEmpty());

    ObjectNode broken = (ObjectNode) parse(good);
    ((ObjectNode) broken.at("/components/0")).put("type", "spaceship");
    ((ArrayNode) broken.get("components")).addObject().put("type", "library");
    assertFalse(CycloneDxSchema.violations15(OciJson.toBytes(broken)).isEmpty(),
        "an unknown component type and a component without a name");

    ObjectNode badLicense = (ObjectNode) parse(good);
    JsonNode library = null;
    for (JsonNode c : badLicense.get("components")) {
      if (c.path("type").asText().equals("library")) {
        library = c;
      }
    }
    ((ObjectNode) library.at("/licenses/0/license")).put("id", "Not-An-Spdx-Id");
    assertFalse(CycloneDxSchema.violations15(OciJson.toBytes(badLicense)).isEmpty(), "an unknown SPDX id");

    byte[] badHash = new String(good, StandardCharsets.UTF_8).replace(sha("databind"), "xyz")
        .getBytes(StandardCharsets.UTF_8);
    assertFalse(CycloneDxSchema.violations15(badHash).isEmpty(), "a hash that is not hex");
  }

  @Test
  void everyKnownSpdxIdIsOnTheSpdxList() throws IOException {
    Set<String> listed = new HashSet<>();
    try (InputStream in = CycloneDxSbomTest.class.getResourceAsStream("/spdx.schema.json")) {
      OciJson.parse(in.readAllBytes(), "spdx.schema.json").get("enum").forEach(id -> listed.add(id.asText()));
    }
    for (String id : SpdxLicenses.KNOWN_IDS) {
      assertTrue(listed.contains(id), id);
    }
  }

  static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(CycloneDxSbomTest.class.getResource("/supply/" + name).toURI());
  }
}
