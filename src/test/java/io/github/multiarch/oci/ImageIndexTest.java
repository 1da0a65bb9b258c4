package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageIndexTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  static final String D3 = "sha256:" + "3".repeat(64);

  /** An index as found in the wild, with fields this model does not name, all already normalized. */
  static final String WILD_INDEX = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "artifactType": "application/vnd.example.thing",
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 7},
        "futureField": {"nested": [1, 2, {"x": true}]},
        "manifests": [
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 1234,
            "platform": {"architecture": "arm", "os": "linux", "variant": "v7"},
            "annotations": {"z": "last", "a": "first"},
            "urls": ["https://example.com/blob"],
            "data": "e30=",
            "artifactType": "application/vnd.example.x"
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 99,
            "platform": {"architecture": "unknown", "os": "unknown"},
            "annotations": {"vnd.docker.reference.type": "attestation-manifest"}
          }
        ],
        "annotations": {"org.opencontainers.image.version": "1.0"}
      }
      """.formatted(D3, D1, D2);

  static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesEntriesWithPlatformsAndAnnotations() {
    ImageIndex index = ImageIndex.parse(bytes(WILD_INDEX), null, "test index");
    assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
    assertEquals(2, index.manifests().size());
    Descriptor first = index.manifests().get(0);
    assertEquals(Digest.parse(D1), first.digest());
    assertEquals(1234, first.size());
    assertEquals(Platform.parse("p", "linux/arm/v7"), first.platform());
    assertEquals(Map.of("a", "first", "z", "last"), first.annotations());
    assertTrue(index.manifests().get(1).platform().isUnknown());
    assertEquals(Map.of("org.opencontainers.image.version", "1.0"), index.annotations());
  }

  @Test
  void keepsUnknownFieldsAndWritesThemBack() {
    ImageIndex index = ImageIndex.parse(bytes(WILD_INDEX), null, "test index");
    assertEquals("application/vnd.example.thing", index.extraFields().get("artifactType").asText());
    Descriptor first = index.manifests().get(0);
    assertEquals("e30=", first.extraFields().get("data").asText());
    assertEquals("https://example.com/blob", first.extraFields().get("urls").get(0).asText());

    JsonNode written = OciJson.parse(index.toBytes(), "written");
    JsonNode original = OciJson.parse(bytes(WILD_INDEX), "original");
    // every field survives with its value (field order aside)
    assertEquals(original, written);
    assertEquals(D3, written.get("subject").get("digest").asText());
    assertEquals(true, written.get("futureField").get("nested").get(2).get("x").asBoolean());
    assertEquals("application/vnd.example.x", written.get("manifests").get(0).get("artifactType").asText());
  }

  @Test
  void roundTripIsByteStable() {
    ImageIndex index = ImageIndex.parse(bytes(WILD_INDEX), null, "test index");
    byte[] once = index.toBytes();
    byte[] twice = ImageIndex.parse(once, null, "again").toBytes();
    assertArrayEquals(once, twice);
    assertArrayEquals(once, index.toBytes(), "the same model gives the same bytes");
    String text = new String(once, StandardCharsets.UTF_8);
    assertFalse(text.contains("\n") || text.contains(": "), "compact JSON: " + text);
  }

  @Test
  void annotationsAreWrittenSortedWhateverTheInsertionOrder() {
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("zeta", "1");
    reversed.put("mid", "2");
    reversed.put("alpha", "3");
    Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(D1), 10)
        .withPlatform(Platform.parse("p", "linux/amd64")).withAnnotations(reversed);
    ImageIndex a = new ImageIndex(MediaTypes.OCI_INDEX, List.of(entry), reversed);
    Map<String, String> sorted = new LinkedHashMap<>();
    sorted.put("alpha", "3");
    sorted.put("mid", "2");
    sorted.put("zeta", "1");
    ImageIndex b = new ImageIndex(MediaTypes.OCI_INDEX, List.of(entry.withAnnotations(sorted)), sorted);
    assertArrayEquals(a.toBytes(), b.toBytes());
    String text = new String(a.toBytes(), StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\"annotations\":{\"alpha\":\"3\",\"mid\":\"2\",\"zeta\":\"1\"}}"), text);
    assertTrue(text.indexOf("\"alpha\"") < text.indexOf("\"mid\"") && text.indexOf("\"mid\"") < text.indexOf("\"zeta\""));
  }

  @Test
  void writesTheExpectedCompactBytes() {
    Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(D1), 10)
        .withPlatform(Platform.parse("p", "linux/arm64"));
    ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(entry), Map.of());
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D1 + "\",\"size\":10,"
        + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}",
        new String(index.toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void missingMediaTypeFallsBackToTheGivenOneOrOci() {
    String json = "{\"schemaVersion\":2,\"manifests\":[]}";
    assertEquals(MediaTypes.OCI_INDEX, ImageIndex.parse(bytes(json), null, "x").mediaType());
    ImageIndex docker = ImageIndex.parse(bytes(json), MediaTypes.DOCKER_LIST, "x");
    assertEquals(MediaTypes.DOCKER_LIST, docker.mediaType());
    // and it is written out (ECR needs the top-level mediaType)
    assertTrue(new String(docker.toBytes(), StandardCharsets.UTF_8)
        .contains("\"mediaType\":\"" + MediaTypes.DOCKER_LIST + "\""));
  }

  @Test
  void refusesSchemaVersionOtherThanTwo() {
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> ImageIndex.parse(bytes("{\"schemaVersion\":1,\"manifests\":[]}"), null, "the index X"));
    assertTrue(e.getMessage().contains("the index X"), e.getMessage());
    assertTrue(e.getMessage().contains("schemaVersion 1"), e.getMessage());
    assertThrows(MultiarchException.class,
        () -> ImageIndex.parse(bytes("{\"manifests\":[]}"), null, "the index X"));
    assertThrows(MultiarchException.class,
        () -> ImageIndex.parse(bytes("{\"schemaVersion\":3,\"manifests\":[]}"), null, "the index X"));
  }

  @Test
  void refusesAManifestMediaType() {
    MultiarchException e = assertThrows(MultiarchException.class, () -> ImageIndex.parse(
        bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"manifests\":[]}"), null, "x"));
    assertTrue(e.getMessage().contains("not an image index"), e.getMessage());
  }

  @Test
  void refusesMissingManifestsAndBadEntries() {
    assertThrows(MultiarchException.class, () -> ImageIndex.parse(bytes("{\"schemaVersion\":2}"), null, "x"));
    MultiarchException e = assertThrows(MultiarchException.class, () -> ImageIndex.parse(bytes(
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"sha256:nothex\",\"size\":1}]}"),
        null, "idx"));
    assertTrue(e.getMessage().contains("manifests[0] of idx"), e.getMessage());
    MultiarchException size = assertThrows(MultiarchException.class, () -> ImageIndex.parse(bytes(
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"" + D1 + "\",\"size\":-1}]}"),
        null, "idx"));
    assertTrue(size.getMessage().contains("size"), size.getMessage());
  }

  @Test
  void refusesInvalidJson() {
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> ImageIndex.parse(bytes("{\"schemaVersion\":2,"), null, "broken.json"));
    assertTrue(e.getMessage().contains("broken.json is not valid JSON"), e.getMessage());
    assertThrows(MultiarchException.class, () -> ImageIndex.parse(bytes("[]"), null, "array"));
  }

  @Test
  void refusesMoreThanFourMibWhenParsing() {
    String big = "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"a\":\""
        + "x".repeat(OciJson.MAX_MANIFEST_BYTES) + "\"}}";
    MultiarchException e = assertThrows(MultiarchException.class, () -> ImageIndex.parse(bytes(big), null, "huge"));
    assertTrue(e.getMessage().contains("4 MiB"), e.getMessage());
    assertTrue(e.getMessage().contains("huge"), e.getMessage());
  }

  @Test
  void acceptsJustUnderFourMib() {
    String prefix = "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"a\":\"";
    String suffix = "\"}}";
    String fits = prefix + "x".repeat(OciJson.MAX_MANIFEST_BYTES - prefix.length() - suffix.length()) + suffix;
    assertEquals(OciJson.MAX_MANIFEST_BYTES, bytes(fits).length);
    ImageIndex index = ImageIndex.parse(bytes(fits), null, "limit");
    assertEquals(OciJson.MAX_MANIFEST_BYTES - prefix.length() - suffix.length(),
        index.annotations().get("a").length());
  }

  @Test
  void refusesMoreThanFourMibWhenWriting() {
    ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(),
        Map.of("a", "x".repeat(OciJson.MAX_MANIFEST_BYTES)));
    MultiarchException e = assertThrows(MultiarchException.class, index::toBytes);
    assertTrue(e.getMessage().contains("4 MiB"), e.getMessage());
  }

  @Test
  void emptyIndexHasNoAnnotationsField() {
    ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(), null);
    JsonNode json = OciJson.parse(index.toBytes(), "x");
    assertNull(json.get("annotations"));
    assertEquals(0, json.get("manifests").size());
  }
}
