package io.github.multiarch.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An OCI image index or a Docker manifest list (told apart by {@link #mediaType()}). Unknown top-level
 * fields ({@code artifactType}, {@code subject}, …) are kept.
 */
public record ImageIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations,
    ObjectNode extraFields) {

  private static final Set<String> KNOWN = Set.of("schemaVersion", "mediaType", "manifests", "annotations");

  public ImageIndex {
    manifests = List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(new TreeMap<>(annotations));
    extraFields = extraFields == null ? OciJson.object() : extraFields.deepCopy();
  }

  public ImageIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    this(mediaType, manifests, annotations, null);
  }

  /**
   * Parses an index. A missing top-level {@code mediaType} is allowed (older OCI writers omit it) and is
   * taken to be {@code fallbackMediaType}, normally the media type of the descriptor that pointed here.
   */
  public static ImageIndex parse(byte[] bytes, String fallbackMediaType, String what) {
    if (bytes.length > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException(what + " is " + bytes.length + " bytes, over the 4 MiB limit for indexes");
    }
    ObjectNode node = OciJson.parseObject(bytes, what);
    JsonNode schemaVersion = node.get("schemaVersion");
    if (schemaVersion == null || schemaVersion.asInt() != 2) {
      throw new MultiarchException(what + " has schemaVersion " + schemaVersion + "; only 2 is supported");
    }
    String mediaType = OciJson.text(node, "mediaType");
    if (mediaType == null) {
      mediaType = fallbackMediaType == null ? MediaTypes.OCI_INDEX : fallbackMediaType;
    }
    if (!MediaTypes.isIndex(mediaType)) {
      throw new MultiarchException(what + " has media type " + mediaType + ", not an image index");
    }
    JsonNode list = node.get("manifests");
    if (list == null || !list.isArray()) {
      throw new MultiarchException(what + " has no manifests array");
    }
    List<Descriptor> manifests = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      manifests.add(Descriptor.fromJson(list.get(i), "manifests[" + i + "] of " + what));
    }
    ObjectNode extra = OciJson.object();
    node.fields().forEachRemaining(e -> {
      if (!KNOWN.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    });
    return new ImageIndex(mediaType, manifests, OciJson.stringMap(node, "annotations"), extra);
  }

  public ObjectNode toJson() {
    ObjectNode node = OciJson.object();
    node.put("schemaVersion", 2);
    node.put("mediaType", mediaType);
    extraFields.fields().forEachRemaining(e -> node.set(e.getKey(), e.getValue()));
    ArrayNode list = node.putArray("manifests");
    manifests.forEach(d -> list.add(d.toJson()));
    OciJson.putStringMap(node, "annotations", annotations);
    return node;
  }

  /** The exact bytes of this index as this model writes it. */
  public byte[] toBytes() {
    byte[] bytes = OciJson.toBytes(toJson());
    if (bytes.length > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException("the index would be " + bytes.length + " bytes, over the 4 MiB limit");
    }
    return bytes;
  }
}
