package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageManifestTest {
  static final String C = "sha256:" + "c".repeat(64);
  static final String L1 = "sha256:" + "1".repeat(64);
  static final String L2 = "sha256:" + "2".repeat(64);
  static final String S = "sha256:" + "5".repeat(64);

  static final String WILD = """
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
       "artifactType":"application/vnd.example.sbom",
       "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":5,"data":"e30="},
       "layers":[
         {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":100,
          "urls":["https://mirror.example.com/l1"],"annotations":{"b":"2","a":"1"}},
         {"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":"%s","size":200}
       ],
       "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10},
       "somethingNew":[1,"two"],
       "annotations":{"org.opencontainers.image.created":"2026-01-01T00:00:00Z"}}
      """.formatted(C, L1, L2, S);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesConfigAndLayers() {
    ImageManifest m = ImageManifest.parse(bytes(WILD), null, "m");
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
    assertEquals(Digest.parse(C), m.config().digest());
    assertEquals(5, m.config().size());
    assertEquals(2, m.layers().size());
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, m.layers().get(1).mediaType());
    assertEquals(Map.of("a", "1", "b", "2"), m.layers().get(0).annotations());
    assertEquals("2026-01-01T00:00:00Z", m.annotations().get("org.opencontainers.image.created"));
  }

  @Test
  void keepsUnknownFieldsAndWritesThemBack() {
    ImageManifest m = ImageManifest.parse(bytes(WILD), null, "m");
    JsonNode written = OciJson.parse(m.toBytes(), "written");
    assertEquals(OciJson.parse(bytes(WILD), "original"), written);
    assertEquals(S, written.get("subject").get("digest").asText());
    assertEquals("application/vnd.example.sbom", written.get("artifactType").asText());
    assertEquals("e30=", written.get("config").get("data").asText());
    assertEquals("https://mirror.example.com/l1", written.get("layers").get(0).get("urls").get(0).asText());
    assertEquals("two", written.get("somethingNew").get(1).asText());
  }

  @Test
  void roundTripIsByteStable() {
    ImageManifest m = ImageManifest.parse(bytes(WILD), null, "m");
    byte[] once = m.toBytes();
    assertArrayEquals(once, ImageManifest.parse(once, null, "again").toBytes());
    assertArrayEquals(once, m.toBytes());
  }

  @Test
  void annotationsSortedInBytes() {
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("z", "1");
    reversed.put("a", "2");
    Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, Digest.parse(C), 5);
    ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, config, List.of(), reversed);
    String text = new String(m.toBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
        + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + C + "\",\"size\":5},"
        + "\"layers\":[],\"annotations\":{\"a\":\"2\",\"z\":\"1\"}}", text);
  }

  @Test
  void missingMediaTypeFallsBack() {
    String json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG
        + "\",\"digest\":\"" + C + "\",\"size\":5},\"layers\":[]}";
    assertEquals(MediaTypes.OCI_MANIFEST, ImageManifest.parse(bytes(json), null, "m").mediaType());
    assertEquals(MediaTypes.DOCKER_MANIFEST,
        ImageManifest.parse(bytes(json), MediaTypes.DOCKER_MANIFEST, "m").mediaType());
  }

  @Test
  void refusesSchemaOne() {
    String schema1 = "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"latest\",\"fsLayers\":[]}";
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> ImageManifest.parse(bytes(schema1), null, "old manifest"));
    assertTrue(e.getMessage().contains("old manifest"), e.getMessage());
    assertTrue(e.getMessage().contains("schemaVersion 1"), e.getMessage());
  }

  @Test
  void refusesAnIndexMediaTypeAndAMissingConfig() {
    String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}";
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> ImageManifest.parse(bytes(index), null, "m"));
    assertTrue(e.getMessage().contains("not an image manifest"), e.getMessage());
    MultiarchException noConfig = assertThrows(MultiarchException.class,
        () -> ImageManifest.parse(bytes("{\"schemaVersion\":2,\"layers\":[]}"), null, "m"));
    assertTrue(noConfig.getMessage().contains("config of m"), noConfig.getMessage());
  }

  @Test
  void refusesMoreThanFourMibBothWays() {
    String big = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + C
        + "\",\"size\":5},\"layers\":[],\"annotations\":{\"a\":\"" + "x".repeat(OciJson.MAX_MANIFEST_BYTES) + "\"}}";
    MultiarchException parse = assertThrows(MultiarchException.class,
        () -> ImageManifest.parse(bytes(big), null, "big"));
    assertTrue(parse.getMessage().contains("4 MiB"), parse.getMessage());

    Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, Digest.parse(C), 5);
    ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, config, List.of(),
        Map.of("a", "x".repeat(OciJson.MAX_MANIFEST_BYTES)));
    MultiarchException write = assertThrows(MultiarchException.class, m::toBytes);
    assertTrue(write.getMessage().contains("4 MiB"), write.getMessage());
  }
}
