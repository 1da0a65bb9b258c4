package io.github.multiarch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates what the plugin writes against the OCI image-spec JSON schemas the project carries in
 * {@code src/test/resources/oci-schemas} (system property {@code oci.schemas.dir}), so that every clone runs
 * these checks. The schemas are permissive, so this is never the only test of a rule.
 */
public final class OciSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final JsonSchemaFactory factory;

  private OciSchemas(Path dir) {
    this.dir = dir;
    String base = dir.toUri().toString();
    // the schemas name each other by https://opencontainers.org/schema/... ids: read those from dir
    this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
        .schemaMappers(m -> m.mapPrefix("https://opencontainers.org/schema/image/", base)
            .mapPrefix("https://opencontainers.org/schema/", base)));
  }

  public static Path directory() {
    String configured = System.getProperty("oci.schemas.dir");
    return Path.of(configured != null ? configured : "src/test/resources/oci-schemas").toAbsolutePath().normalize();
  }

  /** The schemas; fails, never skips, when they are not where the project keeps them. */
  public static OciSchemas load() {
    Path dir = directory();
    if (!Files.isRegularFile(dir.resolve("image-index-schema.json"))) {
      throw new AssertionError("the OCI schemas are missing from " + dir + " (src/test/resources/oci-schemas)");
    }
    return new OciSchemas(dir);
  }

  /** Errors of {@code json} against the schema file {@code schemaFile} (e.g. image-index-schema.json). */
  public List<String> validate(String schemaFile, byte[] json) {
    try {
      JsonSchema schema = factory.getSchema(SchemaLocation.of(dir.resolve(schemaFile).toUri().toString()));
      JsonNode node = JSON.readTree(json);
      List<String> errors = new ArrayList<>();
      for (ValidationMessage message : schema.validate(node)) {
        errors.add(message.getMessage());
      }
      return errors;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Validates {@code oci-layout}, {@code index.json} and every index, manifest and config reachable from it.
   *
   * @return how many documents were validated
   * @throws AssertionError listing every violation
   */
  public int validateLayout(Path layout) throws IOException {
    List<String> errors = new ArrayList<>();
    int count = 0;
    errors.addAll(prefix("oci-layout", validate("image-layout-schema.json", Files.readAllBytes(layout.resolve("oci-layout")))));
    count++;
    byte[] indexJson = Files.readAllBytes(layout.resolve("index.json"));
    errors.addAll(prefix("index.json", validate("image-index-schema.json", indexJson)));
    count++;
    Deque<JsonNode> pending = new ArrayDeque<>();
    JSON.readTree(indexJson).path("manifests").forEach(pending::add);
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      JsonNode descriptor = pending.pop();
      String digest = descriptor.path("digest").asText();
      String mediaType = descriptor.path("mediaType").asText();
      if (!seen.add(digest)) {
        continue;
      }
      Path blob = layout.resolve("blobs").resolve(digest.replace(':', '/'));
      byte[] bytes = Files.readAllBytes(blob);
      String schema = switch (mediaType) {
        case "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json" -> "image-index-schema.json";
        case "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json" -> "image-manifest-schema.json";
        case "application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json" -> "config-schema.json";
        default -> null;
      };
      if (schema == null) {
        continue;
      }
      errors.addAll(prefix(digest + " (" + mediaType + ")", validate(schema, bytes)));
      count++;
      JsonNode node = JSON.readTree(bytes);
      node.path("manifests").forEach(pending::add);
      // only a manifest's "config" is a descriptor; an image config's "config" is the run configuration
      if (schema.equals("image-manifest-schema.json") && node.has("config")) {
        pending.add(node.get("config"));
      }
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("OCI schema violations in " + layout + ":\n  " + String.join("\n  ", errors));
    }
    return count;
  }

  private static List<String> prefix(String what, List<String> errors) {
    return errors.stream().map(e -> what + ": " + e).toList();
  }
}
