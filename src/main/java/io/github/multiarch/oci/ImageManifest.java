package io.github.multiarch.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** An OCI image manifest or a Docker v2 schema 2 manifest. Unknown top-level fields are kept. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers,
    Map<String, String> annotations, ObjectNode extraFields) {

  private static final Set<String> KNOWN = Set.of("schemaVersion", "mediaType", "config", "layers", "annotations");

  public ImageManifest {
    layers = List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(new TreeMap<>(annotations));
    extraFields = extraFields == null ? OciJson.object() : extraFields.deepCopy();
  }

  public ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers,
      Map<String, String> annotations) {
    this(mediaType, config, layers, annotations, null);
  }

  public static ImageManifest parse(byte[] bytes, String fallbackMediaType, String what) {
    if (bytes.length > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException(what + " is " + bytes.length + " bytes, over the 4 MiB limit for manifests");
    }
    ObjectNode node = OciJson.parseObject(bytes, what);
    JsonNode schemaVersion = node.get("schemaVersion");
    if (schemaVersion == null || schemaVersion.asInt() != 2) {
      throw new MultiarchException(what + " has schemaVersion " + schemaVersion
          + "; only schema 2 manifests are supported");
    }
    String mediaType = OciJson.text(node, "mediaType");
    if (mediaType == null) {
      mediaType = fallbackMediaType == null ? MediaTypes.OCI_MANIFEST : fallbackMediaType;
    }
    if (!MediaTypes.isManifest(mediaType)) {
      throw new MultiarchException(what + " has media type " + mediaType + ", not an image manifest");
    }
    Descriptor config = Descriptor.fromJson(node.get("config"), "config of " + what);
    List<Descriptor> layers = new ArrayList<>();
    JsonNode list = node.get("layers");
    if (list != null && list.isArray()) {
      for (int i = 0; i < list.size(); i++) {
        layers.add(Descriptor.fromJson(list.get(i), "layers[" + i + "] of " + what));
      }
    }
    ObjectNode extra = OciJson.object();
    node.fields().forEachRemaining(e -> {
      if (!KNOWN.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    });
    return new ImageManifest(mediaType, config, layers, OciJson.stringMap(node, "annotations"), extra);
  }

  public ObjectNode toJson() {
    ObjectNode node = OciJson.object();
    node.put("schemaVersion", 2);
    node.put("mediaType", mediaType);
    extraFields.fields().forEachRemaining(e -> node.set(e.getKey(), e.getValue()));
    node.set("config", config.toJson());
    ArrayNode list = node.putArray("layers");
    layers.forEach(d -> list.add(d.toJson()));
    OciJson.putStringMap(node, "annotations", annotations);
    return node;
  }

  public byte[] toBytes() {
    byte[] bytes = OciJson.toBytes(toJson());
    if (bytes.length > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException("the manifest would be " + bytes.length + " bytes, over the 4 MiB limit");
    }
    return bytes;
  }
}
