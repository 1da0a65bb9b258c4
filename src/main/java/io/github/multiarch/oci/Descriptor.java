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
 * A content descriptor: media type, digest and size of a blob or manifest, with optional platform (in an
 * index) and annotations. Fields this model does not name ({@code urls}, {@code data},
 * {@code artifactType}, …) are kept as read and written back unchanged.
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform,
    Map<String, String> annotations, ObjectNode extraFields) {

  private static final Set<String> KNOWN = Set.of("mediaType", "digest", "size", "platform", "annotations");

  public Descriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(new TreeMap<>(annotations));
    extraFields = extraFields == null ? OciJson.object() : extraFields.deepCopy();
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, Map.of(), null);
  }

  public Descriptor withPlatform(Platform newPlatform) {
    return new Descriptor(mediaType, digest, size, newPlatform, annotations, extraFields);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, platform, newAnnotations, extraFields);
  }

  public Descriptor withMediaType(String newMediaType) {
    return new Descriptor(newMediaType, digest, size, platform, annotations, extraFields);
  }

  /** Reads a descriptor; {@code what} names it in errors ("manifests[2] of index sha256:…"). */
  public static Descriptor fromJson(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new MultiarchException(what + " is not a descriptor object");
    }
    String digestText = OciJson.text(node, "digest");
    Digest digest;
    try {
      digest = Digest.parse(digestText);
    } catch (MultiarchException e) {
      throw new MultiarchException(what + ": " + e.getMessage(), e);
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
      throw new MultiarchException(what + " has no valid size");
    }
    Platform platform = null;
    JsonNode p = node.get("platform");
    if (p != null && p.isObject()) {
      platform = platformFromJson(p);
    }
    ObjectNode extra = OciJson.object();
    node.fields().forEachRemaining(e -> {
      if (!KNOWN.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    });
    return new Descriptor(OciJson.text(node, "mediaType"), digest, size.asLong(), platform,
        OciJson.stringMap(node, "annotations"), extra);
  }

  /** Reads a platform object as it appears in an index entry (lenient about values). */
  public static Platform platformFromJson(JsonNode p) {
    List<String> features = new ArrayList<>();
    JsonNode f = p.get("os.features");
    if (f != null && f.isArray()) {
      f.forEach(x -> features.add(x.asText()));
    }
    return Platform.lenient(OciJson.text(p, "os"), OciJson.text(p, "architecture"), OciJson.text(p, "variant"),
        OciJson.text(p, "os.version"), features);
  }

  public ObjectNode toJson() {
    ObjectNode node = OciJson.object();
    if (mediaType != null) {
      node.put("mediaType", mediaType);
    }
    node.put("digest", digest.toString());
    node.put("size", size);
    extraFields.fields().forEachRemaining(e -> node.set(e.getKey(), e.getValue()));
    OciJson.putStringMap(node, "annotations", annotations);
    if (platform != null) {
      node.set("platform", platformToJson(platform));
    }
    return node;
  }

  /** Writes a platform: architecture and os always, the rest when present; never {@code features}. */
  public static ObjectNode platformToJson(Platform platform) {
    ObjectNode p = OciJson.object();
    p.put("architecture", platform.architecture());
    p.put("os", platform.os());
    if (!platform.osVersion().isEmpty()) {
      p.put("os.version", platform.osVersion());
    }
    if (!platform.osFeatures().isEmpty()) {
      ArrayNode features = p.putArray("os.features");
      platform.osFeatures().forEach(features::add);
    }
    if (!platform.variant().isEmpty()) {
      p.put("variant", platform.variant());
    }
    return p;
  }
}
