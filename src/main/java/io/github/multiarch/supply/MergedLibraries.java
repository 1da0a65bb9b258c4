package io.github.multiarch.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The library components of a CycloneDX JSON BOM that another tool wrote, such as the {@code target/bom.json} of
 * cyclonedx-maven-plugin, to list in an image's SBOM instead of the libraries this plugin finds itself: that tool
 * may know more (licenses as resolved, several hashes, descriptions). Each component is kept as the BOM gives it,
 * keyed by its purl so none is listed twice.
 */
public final class MergedLibraries {
  /** The parameter that names the BOM file, in errors. */
  public static final String PARAMETER = "sbomSource";
  /** Versions whose component form this SBOM (CycloneDX 1.5) can carry, with {@link #toSpecVersion15}. */
  static final Set<String> READABLE_SPEC_VERSIONS = Set.of("1.4", "1.5", "1.6");
  private static final String VALID = "valid: a CycloneDX JSON BOM (bomFormat \"CycloneDX\", specVersion 1.4 to 1.6) "
      + "such as cyclonedx-maven-plugin writes to target/bom.json";

  /**
   * Component fields that CycloneDX 1.6 added (https://cyclonedx.org/docs/1.6/json/#components): a 1.5 BOM,
   * whose schema allows no other fields, cannot hold them.
   */
  private static final Set<String> COMPONENT_FIELDS_SINCE_16 = Set.of("authors", "manufacturer", "omniborId",
      "swhid", "tags", "cryptoProperties");
  /** External reference types that 1.6 added; such a reference is kept as type "other". */
  private static final Set<String> REFERENCE_TYPES_SINCE_16 = Set.of("source-distribution", "electronic-signature",
      "digital-signature", "rfc-9116");

  private final Path source;
  private final List<ObjectNode> components;

  private MergedLibraries(Path source, List<ObjectNode> components) {
    this.source = source;
    this.components = components;
  }

  /**
   * Reads the library components of {@code bomFile}.
   *
   * @throws InvalidInputException ({@value #PARAMETER}) when the file cannot be read or is not such a BOM
   */
  public static MergedLibraries read(Path bomFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(bomFile);
    } catch (IOException e) {
      throw new InvalidInputException(PARAMETER, "cannot read the BOM " + bomFile + " (" + e + "); " + VALID, e);
    }
    JsonNode root;
    try {
      root = OciJson.parse(bytes, "the BOM " + bomFile);
    } catch (MultiarchException e) {
      throw new InvalidInputException(PARAMETER, e.getMessage() + "; " + VALID, e);
    }
    if (!root.isObject() || !"CycloneDX".equals(OciJson.text(root, "bomFormat"))) {
      throw new InvalidInputException(PARAMETER, bomFile + " is not a CycloneDX BOM (its bomFormat is "
          + (root.isObject() && root.has("bomFormat") ? "'" + root.get("bomFormat").asText() + "'" : "missing")
          + "); " + VALID);
    }
    String specVersion = OciJson.text(root, "specVersion");
    if (!READABLE_SPEC_VERSIONS.contains(specVersion)) {
      throw new InvalidInputException(PARAMETER, bomFile + " is CycloneDX " + specVersion
          + ", which this plugin does not read; " + VALID);
    }
    JsonNode list = root.path("components");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new InvalidInputException(PARAMETER, bomFile + " has components that are not a list; " + VALID);
    }
    Map<String, ObjectNode> byKey = new LinkedHashMap<>();
    for (JsonNode component : list) {
      String type = OciJson.text(component, "type");
      if (component.isObject() && ("library".equals(type) || "framework".equals(type))) {
        byKey.putIfAbsent(key(component), toSpecVersion15(component.deepCopy()));
      }
    }
    List<ObjectNode> sorted = new ArrayList<>(byKey.values());
    sorted.sort(Comparator.comparing(MergedLibraries::key));
    return new MergedLibraries(bomFile, List.copyOf(sorted));
  }

  /** The purl, else the bom-ref, else group:name:version: what makes two entries the same library. */
  static String key(JsonNode component) {
    for (String field : new String[] {"purl", "bom-ref"}) {
      String value = OciJson.text(component, field);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return component.path("group").asText("") + ":" + component.path("name").asText("") + ":"
        + component.path("version").asText("");
  }

  /** Drops what only 1.6 can say, down through nested components; everything else stays as given. */
  private static ObjectNode toSpecVersion15(ObjectNode component) {
    component.remove(COMPONENT_FIELDS_SINCE_16);
    for (JsonNode license : component.path("licenses")) {
      if (license instanceof ObjectNode choice) {
        choice.remove("acknowledgement");
        if (choice.get("license") instanceof ObjectNode inner) {
          inner.remove("acknowledgement");
        }
      }
    }
    for (JsonNode reference : component.path("externalReferences")) {
      if (reference instanceof ObjectNode ref && REFERENCE_TYPES_SINCE_16.contains(OciJson.text(ref, "type"))) {
        ref.put("type", "other");
      }
    }
    for (JsonNode nested : component.path("components")) {
      if (nested instanceof ObjectNode child) {
        toSpecVersion15(child);
      }
    }
    return component;
  }

  /** The file read. */
  public Path source() {
    return source;
  }

  /** The library components, sorted by purl; copies, so a caller cannot change this. */
  public List<ObjectNode> components() {
    return components.stream().map(ObjectNode::deepCopy).toList();
  }
}
