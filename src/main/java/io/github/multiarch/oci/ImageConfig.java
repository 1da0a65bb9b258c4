package io.github.multiarch.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image configuration ({@code application/vnd.oci.image.config.v1+json} or Docker's equivalent), held
 * as its JSON tree so that every field a base image carries survives (history, healthcheck, shell, …).
 * Mutable: a builder copies the base's config and changes what the user configured.
 */
public final class ImageConfig {
  private final ObjectNode root;

  private ImageConfig(ObjectNode root) {
    this.root = root;
  }

  /** An empty config for an image built from scratch. */
  public static ImageConfig scratch(Platform platform) {
    ObjectNode root = OciJson.object();
    root.put("created", "1970-01-01T00:00:00Z");
    root.put("architecture", platform.architecture());
    root.put("os", platform.os());
    root.putObject("config");
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    root.putArray("history");
    ImageConfig config = new ImageConfig(root);
    config.setPlatform(platform);
    return config;
  }

  public static ImageConfig parse(byte[] bytes, String what) {
    ObjectNode root = OciJson.parseObject(bytes, what);
    return new ImageConfig(root);
  }

  public ImageConfig copy() {
    return new ImageConfig(root.deepCopy());
  }

  /** The platform this config declares (lenient: data in the wild may hold values we do not know). */
  public Platform platform() {
    List<String> features = new ArrayList<>();
    JsonNode f = root.get("os.features");
    if (f != null && f.isArray()) {
      f.forEach(x -> features.add(x.asText()));
    }
    return Platform.lenient(OciJson.text(root, "os"), OciJson.text(root, "architecture"),
        OciJson.text(root, "variant"), OciJson.text(root, "os.version"), features);
  }

  /** Sets architecture, os, variant, os.version and os.features so the config agrees with its index entry. */
  public void setPlatform(Platform platform) {
    root.put("architecture", platform.architecture());
    root.put("os", platform.os());
    putOrRemove("os.version", platform.osVersion());
    if (platform.osFeatures().isEmpty()) {
      root.remove("os.features");
    } else {
      ArrayNode features = root.putArray("os.features");
      platform.osFeatures().forEach(features::add);
    }
    putOrRemove("variant", platform.variant());
  }

  public void setCreated(String isoInstant) {
    root.put("created", isoInstant);
  }

  public List<String> diffIds() {
    List<String> ids = new ArrayList<>();
    JsonNode rootfs = root.get("rootfs");
    if (rootfs != null && rootfs.get("diff_ids") != null) {
      rootfs.get("diff_ids").forEach(x -> ids.add(x.asText()));
    }
    return ids;
  }

  /** Appends a layer: its uncompressed digest to {@code rootfs.diff_ids} and a history entry. */
  public void addLayer(Digest diffId, String createdBy, String created) {
    ObjectNode rootfs = root.withObjectProperty("rootfs");
    if (!rootfs.has("type")) {
      rootfs.put("type", "layers");
    }
    rootfs.withArrayProperty("diff_ids").add(diffId.toString());
    ObjectNode entry = root.withArrayProperty("history").addObject();
    entry.put("created", created);
    entry.put("created_by", createdBy);
  }

  /** Records a history step that added no layer (a change to the config only). */
  public void addEmptyHistory(String createdBy, String created) {
    ObjectNode entry = root.withArrayProperty("history").addObject();
    entry.put("created", created);
    entry.put("created_by", createdBy);
    entry.put("empty_layer", true);
  }

  private ObjectNode runConfig() {
    return root.withObjectProperty("config");
  }

  public List<String> entrypoint() {
    return stringList(runConfig().get("Entrypoint"));
  }

  public List<String> cmd() {
    return stringList(runConfig().get("Cmd"));
  }

  /**
   * Sets the entrypoint. As in a Dockerfile, a new entrypoint clears the command inherited from the base,
   * which was written for the base's entrypoint.
   */
  public void setEntrypoint(List<String> entrypoint) {
    putList("Entrypoint", entrypoint);
    runConfig().remove("Cmd");
  }

  public void setCmd(List<String> cmd) {
    putList("Cmd", cmd);
  }

  /** Environment as an ordered map; later entries of the same name win, as in a Dockerfile. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : stringList(runConfig().get("Env"))) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      } else {
        env.put(entry, "");
      }
    }
    return env;
  }

  public void setEnvironment(Map<String, String> env) {
    List<String> entries = new ArrayList<>();
    env.forEach((k, v) -> entries.add(k + "=" + v));
    putList("Env", entries.isEmpty() ? null : entries);
  }

  public String workingDirectory() {
    return OciJson.text(runConfig(), "WorkingDir");
  }

  public void setWorkingDirectory(String dir) {
    runConfig().put("WorkingDir", dir);
  }

  public String user() {
    return OciJson.text(runConfig(), "User");
  }

  public void setUser(String user) {
    runConfig().put("User", user);
  }

  public List<String> exposedPorts() {
    return fieldNames(runConfig().get("ExposedPorts"));
  }

  /** Adds exposed ports such as {@code 8080/tcp}, keeping the base's. */
  public void addExposedPorts(List<String> ports) {
    if (ports.isEmpty()) {
      return;
    }
    ObjectNode node = runConfig().withObjectProperty("ExposedPorts");
    ports.forEach(p -> node.putObject(p));
  }

  public List<String> volumes() {
    return fieldNames(runConfig().get("Volumes"));
  }

  /** The keys of an object such as {@code ExposedPorts} or {@code Volumes} (a set written as a map to {}). */
  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node != null && node.isObject()) {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  /** Adds volumes such as {@code /data}, keeping the base's; written sorted, as Docker does. */
  public void addVolumes(List<String> volumes) {
    if (volumes.isEmpty()) {
      return;
    }
    java.util.TreeSet<String> merged = new java.util.TreeSet<>(volumes());
    merged.addAll(volumes);
    ObjectNode node = runConfig().putObject("Volumes");
    merged.forEach(node::putObject);
  }

  public Map<String, String> labels() {
    return OciJson.stringMap(runConfig(), "Labels");
  }

  /** Adds labels, overriding the base's of the same name; written sorted. */
  public void addLabels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    Map<String, String> merged = new java.util.TreeMap<>(labels());
    merged.putAll(labels);
    runConfig().remove("Labels");
    OciJson.putStringMap(runConfig(), "Labels", merged);
  }

  public ObjectNode toJson() {
    return root.deepCopy();
  }

  /** The exact bytes of this config. */
  public byte[] toBytes() {
    return OciJson.toBytes(root);
  }

  private void putOrRemove(String field, String value) {
    if (value == null || value.isEmpty()) {
      root.remove(field);
    } else {
      root.put(field, value);
    }
  }

  private void putList(String field, List<String> values) {
    if (values == null) {
      runConfig().remove(field);
      return;
    }
    ArrayNode array = runConfig().putArray(field);
    values.forEach(array::add);
  }

  private static List<String> stringList(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(x -> list.add(x.asText()));
    }
    return list;
  }
}
