package io.github.multiarch.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blobs a layout refers to but does not hold, and where each can be fetched: base layers that {@code build}
 * left in the base image's registry because {@code push} mounts them there. The image layout spec allows it
 * ("The blobs directory MAY be missing referenced blobs, in which case the missing blobs SHOULD be fulfilled by
 * an external blob store", image-spec image-layout.md); this file, beside {@code index.json}, names that store.
 * OCI readers ignore it; this plugin's readers fetch what it lists before reading the layout (see
 * docs/design.md, "Deferred base layers").
 */
public final class DeferredBlobs {
  /** The record's file name in the layout's root. */
  public static final String FILE = "multiarch-deferred-blobs.json";

  /**
   * One blob not in the layout.
   *
   * @param source {@code registry/repository} the blob is fetched or mounted from, as the base image named it
   */
  public record Entry(Descriptor blob, String source) {}

  private DeferredBlobs() {}

  /** Every blob the record lists, the ones the layout has since been given included; none without a record. */
  public static List<Entry> listed(OciLayout layout) {
    Path file = layout.root().resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      JsonNode root = OciJson.parseObject(Files.readAllBytes(file), layout.shown(file));
      List<Entry> entries = new ArrayList<>();
      for (JsonNode node : root.path("blobs")) {
        Descriptor blob = new Descriptor(node.path("mediaType").asText(null), Digest.parse(node.path("digest")
            .asText()), node.path("size").asLong(-1));
        String source = node.path("source").asText("");
        if (blob.size() < 0 || source.isBlank() || !source.contains("/")) {
          throw new IllegalArgumentException("an entry lacks its size or source: " + node);
        }
        entries.add(new Entry(blob, source));
      }
      return entries;
    } catch (IOException | RuntimeException e) {
      throw new MultiarchException("cannot read " + layout.shown(file) + ", the list of blobs the layout lacks "
          + "by design: " + e.getMessage() + "; build the layout again", e);
    }
  }

  /** The listed blobs the layout does not hold, by digest. */
  public static Map<Digest, Entry> missing(OciLayout layout) {
    Map<Digest, Entry> missing = new LinkedHashMap<>();
    for (Entry entry : listed(layout)) {
      if (!layout.hasBlob(entry.blob().digest())) {
        missing.putIfAbsent(entry.blob().digest(), entry);
      }
    }
    return missing;
  }

  /**
   * Writes the record (replacing any), before {@code index.json} names what refers to its blobs: a layout whose
   * index names a blob it lacks always says where to get it. No entries: no file.
   */
  public static void write(OciLayout layout, List<Entry> entries) {
    Path file = layout.root().resolve(FILE);
    Map<Digest, Entry> unique = new LinkedHashMap<>();
    entries.forEach(e -> unique.putIfAbsent(e.blob().digest(), e));
    try {
      if (unique.isEmpty()) {
        Files.deleteIfExists(file);
        return;
      }
      ObjectNode root = OciJson.object();
      ArrayNode list = root.putArray("blobs");
      for (Entry entry : unique.values()) {
        ObjectNode node = list.addObject();
        if (entry.blob().mediaType() != null) {
          node.put("mediaType", entry.blob().mediaType());
        }
        node.put("digest", entry.blob().digest().toString());
        node.put("size", entry.blob().size());
        node.put("source", entry.source());
      }
      Path temp = Files.createTempFile(layout.root(), ".deferred-", ".tmp");
      Files.write(temp, OciJson.toPrettyBytes(root));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MultiarchException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Drops the record once the layout holds every blob it listed: the layout is complete. */
  public static void completed(OciLayout layout) {
    if (!missing(layout).isEmpty()) {
      throw new IllegalStateException("the layout " + layout.root() + " still lacks blobs its record lists");
    }
    try {
      Files.deleteIfExists(layout.root().resolve(FILE));
    } catch (IOException e) {
      throw new MultiarchException("cannot delete " + layout.root().resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Refuses to hand {@code layout} to {@code reader} while it lacks blobs: a tar of it would be incomplete. */
  public static void requireComplete(OciLayout layout, String reader) {
    Map<Digest, Entry> missing = missing(layout);
    if (!missing.isEmpty()) {
      Entry first = missing.values().iterator().next();
      throw new MultiarchException(reader + ": the layout " + layout.root() + " lacks " + missing.size()
          + " base layers the build left in their registry (" + first.blob().digest() + " of " + first.source()
          + ", listed in " + FILE + "); complete it first");
    }
  }
}
