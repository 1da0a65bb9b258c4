package io.github.multiarch.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The CycloneDX 1.5 JSON schema, as cyclonedx-core-java carries it at its jar's root, validated with the project's
 * json-schema-validator. The schema names the SPDX and JSF schemas by their http://cyclonedx.org/schema/ ids;
 * those are read from the same jar, so validation needs no network.
 */
public final class CycloneDxSchema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema BOM_15;

  static {
    if (CycloneDxSchema.class.getResource("/bom-1.5.schema.json") == null) {
      throw new AssertionError("bom-1.5.schema.json is not on the test class path (cyclonedx-core-java)");
    }
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
        builder -> builder.schemaMappers(m -> m.mapPrefix("http://cyclonedx.org/schema/", "classpath:")));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    BOM_15 = factory.getSchema(SchemaLocation.of("classpath:bom-1.5.schema.json"), config);
  }

  private CycloneDxSchema() {}

  /** The violations of {@code bom} against CycloneDX 1.5; empty when it is valid. */
  public static List<String> violations15(byte[] bom) {
    try {
      JsonNode node = JSON.readTree(bom);
      return BOM_15.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails, listing every violation, unless {@code bom} is valid CycloneDX 1.5. */
  public static void assertValid15(byte[] bom) {
    List<String> violations = violations15(bom);
    if (!violations.isEmpty()) {
      throw new AssertionError("not valid CycloneDX 1.5:\n  " + String.join("\n  ", violations));
    }
  }
}
