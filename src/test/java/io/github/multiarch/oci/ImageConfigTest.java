package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

  static final String BASE = """
      {"created":"2024-05-01T00:00:00Z","architecture":"arm64","os":"linux","variant":"v8",
       "config":{"Env":["PATH=/usr/bin:/bin","LANG=C.UTF-8"],"Entrypoint":["/docker-entrypoint.sh"],
                 "Cmd":["nginx","-g","daemon off;"],"ExposedPorts":{"80/tcp":{}},
                 "Labels":{"maintainer":"base","zz":"1"},"StopSignal":"SIGQUIT",
                 "Healthcheck":{"Test":["CMD","true"]}},
       "rootfs":{"type":"layers","diff_ids":["sha256:%s"]},
       "history":[{"created":"2024-05-01T00:00:00Z","created_by":"base"}]}
      """.formatted("a".repeat(64));

  static ImageConfig base() {
    return ImageConfig.parse(BASE.getBytes(StandardCharsets.UTF_8), "base config");
  }

  @Test
  void scratchConfigCarriesThePlatformIncludingVariant() {
    ImageConfig config = ImageConfig.scratch(Platform.parse("p", "linux/arm/v7"));
    JsonNode json = config.toJson();
    assertEquals("arm", json.get("architecture").asText());
    assertEquals("linux", json.get("os").asText());
    assertEquals("v7", json.get("variant").asText());
    assertEquals("1970-01-01T00:00:00Z", json.get("created").asText());
    assertEquals("layers", json.get("rootfs").get("type").asText());
    assertEquals(0, json.get("rootfs").get("diff_ids").size());
    assertTrue(json.get("config").isObject());
    assertFalse(json.has("os.version"));
    assertEquals(Platform.parse("p", "linux/arm/v7"), config.platform());
  }

  @Test
  void scratchConfigWithoutVariantHasNoVariantField() {
    JsonNode json = ImageConfig.scratch(Platform.parse("p", "linux/amd64")).toJson();
    assertFalse(json.has("variant"));
    assertEquals("amd64", json.get("architecture").asText());
  }

  @Test
  void windowsScratchConfigCarriesOsVersionAndFeatures() {
    Platform windows = Platform.of("p", "windows", "amd64", "", "10.0.17763.6189", List.of("win32k"));
    JsonNode json = ImageConfig.scratch(windows).toJson();
    assertEquals("10.0.17763.6189", json.get("os.version").asText());
    assertEquals("win32k", json.get("os.features").get(0).asText());
    assertEquals(windows, ImageConfig.scratch(windows).platform());
  }

  @Test
  void setPlatformReplacesAndRemovesFields() {
    ImageConfig config = base();
    assertEquals(Platform.parse("p", "linux/arm64"), config.platform());
    config.setPlatform(Platform.parse("p", "linux/amd64"));
    JsonNode json = config.toJson();
    assertEquals("amd64", json.get("architecture").asText());
    assertFalse(json.has("variant"), "a variant from the base must not survive a platform without one");
  }

  @Test
  void setEntrypointClearsCmd() {
    ImageConfig config = base();
    assertEquals(List.of("nginx", "-g", "daemon off;"), config.cmd());
    config.setEntrypoint(List.of("/app/run"));
    assertEquals(List.of("/app/run"), config.entrypoint());
    assertEquals(List.of(), config.cmd());
    assertFalse(config.toJson().get("config").has("Cmd"));
    config.setCmd(List.of("--port", "80"));
    assertEquals(List.of("--port", "80"), config.cmd());
    assertEquals(List.of("/app/run"), config.entrypoint(), "setting Cmd keeps the entrypoint");
  }

  @Test
  void environmentMergeKeepsOrderAndOverrides() {
    ImageConfig config = base();
    Map<String, String> env = new LinkedHashMap<>(config.environment());
    assertEquals(List.of("PATH", "LANG"), List.copyOf(env.keySet()));
    env.put("LANG", "en_US.UTF-8");
    env.put("APP_HOME", "/app");
    config.setEnvironment(env);
    JsonNode written = config.toJson().get("config").get("Env");
    assertEquals(3, written.size());
    assertEquals("PATH=/usr/bin:/bin", written.get(0).asText());
    assertEquals("LANG=en_US.UTF-8", written.get(1).asText());
    assertEquals("APP_HOME=/app", written.get(2).asText());
  }

  @Test
  void environmentReadsValuesWithEqualsAndNamesWithout() {
    String json = "{\"config\":{\"Env\":[\"A=x=y\",\"B\",\"A=z\"]}}";
    ImageConfig config = ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8), "c");
    assertEquals(Map.of("A", "z", "B", ""), config.environment());
  }

  @Test
  void emptyEnvironmentRemovesEnv() {
    ImageConfig config = base();
    config.setEnvironment(Map.of());
    assertFalse(config.toJson().get("config").has("Env"));
  }

  @Test
  void portsAreAddedToTheBases() {
    ImageConfig config = base();
    config.addExposedPorts(List.of("8080/tcp", "53/udp"));
    assertEquals(List.of("80/tcp", "8080/tcp", "53/udp"), config.exposedPorts());
    JsonNode ports = config.toJson().get("config").get("ExposedPorts");
    assertTrue(ports.get("53/udp").isObject() && ports.get("53/udp").isEmpty());
    ImageConfig scratch = ImageConfig.scratch(Platform.parse("p", "linux/amd64"));
    scratch.addExposedPorts(List.of());
    assertFalse(scratch.toJson().get("config").has("ExposedPorts"), "no ports, no field");
  }

  @Test
  void labelsMergeOverrideAndAreSorted() {
    ImageConfig config = base();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("zz", "2");
    labels.put("aa", "new");
    config.addLabels(labels);
    assertEquals(Map.of("aa", "new", "maintainer", "base", "zz", "2"), config.labels());
    String text = new String(config.toBytes(), StandardCharsets.UTF_8);
    assertTrue(text.contains("\"Labels\":{\"aa\":\"new\",\"maintainer\":\"base\",\"zz\":\"2\"}"), text);
  }

  @Test
  void addLayerAppendsDiffIdAndHistory() {
    ImageConfig config = base();
    Digest diffId = Digest.sha256("layer");
    config.addLayer(diffId, "added by test", "2026-01-01T00:00:00Z");
    assertEquals(List.of("sha256:" + "a".repeat(64), diffId.toString()), config.diffIds());
    JsonNode history = config.toJson().get("history");
    assertEquals(2, history.size());
    assertEquals("added by test", history.get(1).get("created_by").asText());
    assertEquals("2026-01-01T00:00:00Z", history.get(1).get("created").asText());
    assertFalse(history.get(1).has("empty_layer"));
  }

  @Test
  void addLayerCreatesRootfsWhenMissing() {
    ImageConfig config = ImageConfig.parse("{\"architecture\":\"amd64\",\"os\":\"linux\"}"
        .getBytes(StandardCharsets.UTF_8), "c");
    config.addLayer(Digest.sha256("x"), "by", "1970-01-01T00:00:00Z");
    JsonNode rootfs = config.toJson().get("rootfs");
    assertEquals("layers", rootfs.get("type").asText());
    assertEquals(Digest.sha256("x").toString(), rootfs.get("diff_ids").get(0).asText());
  }

  @Test
  void emptyHistoryIsMarked() {
    ImageConfig config = base();
    config.addEmptyHistory("config change", "2026-01-01T00:00:00Z");
    JsonNode last = config.toJson().get("history").get(1);
    assertTrue(last.get("empty_layer").asBoolean());
    assertEquals(1, config.diffIds().size());
  }

  @Test
  void keepsFieldsItDoesNotModel() {
    ImageConfig config = base();
    config.setEntrypoint(List.of("x"));
    config.setWorkingDirectory("/app");
    config.setUser("1000:1000");
    config.setCreated("2026-01-01T00:00:00Z");
    JsonNode json = config.toJson();
    assertEquals("SIGQUIT", json.get("config").get("StopSignal").asText());
    assertEquals("CMD", json.get("config").get("Healthcheck").get("Test").get(0).asText());
    assertEquals("/app", config.workingDirectory());
    assertEquals("1000:1000", config.user());
    assertEquals("2026-01-01T00:00:00Z", json.get("created").asText());
  }

  @Test
  void copyIsIndependent() {
    ImageConfig original = base();
    ImageConfig copy = original.copy();
    copy.setUser("nobody");
    copy.addLayer(Digest.sha256("y"), "x", "1970-01-01T00:00:00Z");
    assertNull(original.user());
    assertEquals(1, original.diffIds().size());
    assertEquals(2, copy.diffIds().size());
    JsonNode json = original.toJson();
    ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("os", "changed");
    assertEquals("linux", original.platform().os(), "toJson returns a copy");
  }

  @Test
  void sameChangesGiveSameBytes() {
    ImageConfig a = base();
    ImageConfig b = base();
    for (ImageConfig c : List.of(a, b)) {
      c.setEntrypoint(List.of("/app"));
      c.addLabels(Map.of("x", "1", "a", "2"));
      c.addLayer(Digest.sha256("l"), "layer", "2026-01-01T00:00:00Z");
    }
    assertArrayEquals(a.toBytes(), b.toBytes());
  }
}
