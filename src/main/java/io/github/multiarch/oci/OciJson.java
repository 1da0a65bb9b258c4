package io.github.multiarch.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place JSON is read and written. Reading is tolerant (unknown fields are kept in the tree and
 * never an error); writing is deterministic (fields in the order the code adds them, maps sorted, no
 * whitespace), so the same model always gives the same bytes and the same digest.
 */
public final class OciJson {
  /** Manifests and indexes larger than this are refused, both ways, as registries refuse them. */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(200).build());
  }

  private OciJson() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses JSON; {@code what} names the document in the error (e.g. "index.json of /path"). */
  public static JsonNode parse(byte[] bytes, String what) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new MultiarchException(what + " is empty");
      }
      return node;
    } catch (IOException e) {
      throw new MultiarchException(what + " is not valid JSON: " + getOriginalMessage(e), e);
    }
  }

  public static ObjectNode parseObject(byte[] bytes, String what) {
    JsonNode node = parse(bytes, what);
    if (!node.isObject()) {
      throw new MultiarchException(what + " is not a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Compact, deterministic bytes: what gets hashed and stored. */
  public static byte[] toBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize JSON", e);
    }
  }

  /** Indented bytes for files meant for people and scripts (metadata), never for hashed content. */
  public static byte[] toPrettyBytes(JsonNode node) {
    try {
      // a writer of the one mapper: a second mapper would cost its own start-up
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize JSON", e);
    }
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A string map such as annotations or labels, sorted by key; empty when absent. */
  public static Map<String, String> stringMap(JsonNode node, String field) {
    Map<String, String> map = new TreeMap<>();
    JsonNode value = node.get(field);
    if (value != null && value.isObject()) {
      value.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  /** Writes {@code map} sorted by key under {@code field}, or nothing when it is empty. */
  public static void putStringMap(ObjectNode node, String field, Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return;
    }
    ObjectNode target = node.putObject(field);
    new TreeMap<>(map).forEach(target::put);
  }

  /**
   * The parser's reason and where it stopped, once: Jackson's own message repeats the source location
   * ("[Source: REDACTED …; line: 1, column: 35]") and sometimes a start marker, which tell a user nothing.
   */
  private static String getOriginalMessage(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
      String reason = json.getOriginalMessage() == null ? "" : json.getOriginalMessage()
          .replaceAll("\\s*\\(start marker at \\[Source:[^]]*]\\)", "").lines().findFirst().orElse("").trim();
      com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
      return reason + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr()
          + ")" : "");
    }
    return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
  }
}
