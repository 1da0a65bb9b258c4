package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptorTest {
  static final String D = "sha256:" + "d".repeat(64);

  static JsonNode json(String text) {
    return OciJson.parse(text.getBytes(StandardCharsets.UTF_8), "test");
  }

  @Test
  void platformWithOnlyOsAndArchitecture() {
    ObjectNode p = Descriptor.platformToJson(Platform.parse("p", "linux/amd64"));
    assertEquals(json("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), p);
    assertEquals("{\"architecture\":\"amd64\",\"os\":\"linux\"}",
        new String(OciJson.toBytes(p), StandardCharsets.UTF_8));
  }

  @Test
  void platformWithVariant() {
    ObjectNode p = Descriptor.platformToJson(Platform.parse("p", "linux/arm/v7"));
    assertEquals(json("{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}"), p);
    assertFalse(p.has("os.version"));
    assertFalse(p.has("os.features"));
  }

  @Test
  void windowsPlatformWithOsVersionAndFeatures() {
    Platform windows = Platform.of("p", "windows", "amd64", "", "10.0.20348.2655", List.of("win32k"));
    ObjectNode p = Descriptor.platformToJson(windows);
    assertEquals(json("{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.20348.2655\","
        + "\"os.features\":[\"win32k\"]}"), p);
    assertFalse(p.has("variant"));
  }

  @Test
  void neverEmitsFeaturesEvenWhenReadFromData() {
    JsonNode entry = json("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D + "\",\"size\":3,"
        + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\",\"features\":[\"sse4\"]}}");
    Descriptor d = Descriptor.fromJson(entry, "entry");
    ObjectNode written = d.toJson();
    assertFalse(written.get("platform").has("features"), written.toString());
    assertEquals(json("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), written.get("platform"));
  }

  @Test
  void readsPlatformLenientlyAndNormalized() {
    Descriptor d = Descriptor.fromJson(json("{\"mediaType\":\"a/b\",\"digest\":\"" + D + "\",\"size\":1,"
        + "\"platform\":{\"architecture\":\"aarch64\",\"os\":\"linux\"}}"), "e");
    assertEquals(Platform.parse("p", "linux/arm64/v8"), d.platform());
    Descriptor odd = Descriptor.fromJson(json("{\"mediaType\":\"a/b\",\"digest\":\"" + D + "\",\"size\":1,"
        + "\"platform\":{\"architecture\":\"mystery\",\"os\":\"plan10\",\"variant\":\"q\"}}"), "e");
    assertEquals("plan10/mystery/q", odd.platform().toString());
  }

  @Test
  void keepsUnknownFields() {
    JsonNode entry = json("{\"mediaType\":\"a/b\",\"digest\":\"" + D + "\",\"size\":3,\"urls\":[\"u\"],"
        + "\"data\":\"YWJj\",\"artifactType\":\"x/y\",\"nextYear\":{\"k\":1}}");
    Descriptor d = Descriptor.fromJson(entry, "entry");
    assertEquals(List.of("artifactType", "data", "nextYear", "urls"),
        iterate(d.extraFields().fieldNames()).stream().sorted().toList());
    assertEquals(entry, reparse(d.toJson()));
    // with* keep them
    assertEquals(entry.get("nextYear"), d.withMediaType("c/d").toJson().get("nextYear"));
    assertEquals("c/d", d.withMediaType("c/d").mediaType());
  }

  @Test
  void extraFieldsAreCopiedNotShared() {
    ObjectNode extra = OciJson.object();
    extra.put("urls", "x");
    Descriptor d = new Descriptor("a/b", Digest.parse(D), 1, null, Map.of(), extra);
    extra.put("urls", "changed");
    assertEquals("x", d.extraFields().get("urls").asText());
  }

  @Test
  void refusesWhatIsNotADescriptor() {
    MultiarchException notObject = assertThrows(MultiarchException.class,
        () -> Descriptor.fromJson(json("[1]"), "layers[3] of m"));
    assertTrue(notObject.getMessage().contains("layers[3] of m"), notObject.getMessage());
    MultiarchException noDigest = assertThrows(MultiarchException.class,
        () -> Descriptor.fromJson(json("{\"mediaType\":\"a/b\",\"size\":1}"), "entry 1"));
    assertTrue(noDigest.getMessage().startsWith("entry 1"), noDigest.getMessage());
    MultiarchException noSize = assertThrows(MultiarchException.class,
        () -> Descriptor.fromJson(json("{\"mediaType\":\"a/b\",\"digest\":\"" + D + "\"}"), "entry 2"));
    assertTrue(noSize.getMessage().contains("entry 2 has no valid size"), noSize.getMessage());
    assertThrows(MultiarchException.class,
        () -> Descriptor.fromJson(json("{\"mediaType\":\"a/b\",\"digest\":\"" + D + "\",\"size\":\"x\"}"), "e"));
    assertThrows(MultiarchException.class, () -> Descriptor.fromJson(null, "e"));
  }

  @Test
  void writesFieldsInAFixedOrder() {
    Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(D), 7)
        .withAnnotations(Map.of("k", "v")).withPlatform(Platform.parse("p", "linux/arm/v6"));
    assertEquals("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D + "\",\"size\":7,"
        + "\"annotations\":{\"k\":\"v\"},\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}}",
        new String(OciJson.toBytes(d.toJson()), StandardCharsets.UTF_8));
    Descriptor plain = new Descriptor(null, Digest.parse(D), 7);
    assertNull(plain.toJson().get("mediaType"));
  }

  /** Through bytes, so that number node types (int vs long) do not matter. */
  private static JsonNode reparse(JsonNode node) {
    return OciJson.parse(OciJson.toBytes(node), "reparsed");
  }

  private static <T> List<T> iterate(java.util.Iterator<T> it) {
    List<T> list = new java.util.ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
