package io.github.multiarch.index;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.Attachments;
import io.github.multiarch.registry.Parallel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads what an image reference holds, and shows it as a table for people or JSON for scripts. */
public final class Inspector {
  private static final String ATTESTATION_TYPE = "vnd.docker.reference.type";

  private Inspector() {}

  public static Inspection inspect(ImageSource source) {
    Manifest top = source.top();
    Set<String> families = new LinkedHashSet<>();
    families.add(family(top.mediaType()));
    List<Inspection.Entry> entries = new ArrayList<>();
    if (MediaTypes.isIndex(top.mediaType())) {
      ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType(), source.reference());
      List<String> kinds = index.manifests().stream().map(Inspector::kind).toList();
      // what refers to each image and to the index: a request or two each, asked side by side
      List<Digest> subjects = new ArrayList<>();
      for (int i = 0; i < kinds.size(); i++) {
        subjects.add(kinds.get(i).equals("image") ? index.manifests().get(i).digest() : null);
      }
      subjects.add(top.digest());
      List<List<Descriptor>> referrers = Parallel.map(subjects, Attachments.REQUESTS_AT_ONCE, "multiarch-inspect",
          "listing referrers", subject -> subject == null ? List.of() : source.store().referrers(subject));
      for (int i = 0; i < kinds.size(); i++) {
        Descriptor d = index.manifests().get(i);
        families.add(family(d.mediaType()));
        entries.add(new Inspection.Entry(d.platform(), d.mediaType(), d, d.annotations(), kinds.get(i),
            referrers.get(i)));
      }
      return new Inspection(source.reference(), top.descriptor(), true, index.annotations(), entries,
          List.copyOf(families), referrers.get(kinds.size()));
    }
    if (!MediaTypes.isManifest(top.mediaType())) {
      throw new MultiarchException(source.reference() + " is " + top.mediaType()
          + ", neither an image index nor an image manifest");
    }
    ImageManifest manifest = ImageManifest.parse(top.bytes(), top.mediaType(), source.reference());
    families.add(family(manifest.config().mediaType()));
    Platform platform = ImageConfig.parse(source.smallBlob(manifest.config()), "config of " + source.reference())
        .platform();
    List<Descriptor> referrers = source.store().referrers(top.digest());
    entries.add(new Inspection.Entry(platform, top.mediaType(), top.descriptor(), manifest.annotations(), "image",
        referrers));
    return new Inspection(source.reference(), top.descriptor(), false, manifest.annotations(), entries,
        List.copyOf(families), referrers);
  }

  /** What an index entry is: an image, an index, an attestation (buildx's {@code unknown/unknown}), or other. */
  private static String kind(Descriptor d) {
    boolean attestation = (d.platform() != null && d.platform().isUnknown())
        || "attestation-manifest".equals(d.annotations().get(ATTESTATION_TYPE));
    return attestation ? "attestation" : MediaTypes.isIndex(d.mediaType()) ? "index"
        : MediaTypes.isManifest(d.mediaType()) ? "image" : "other";
  }

  private static String family(String mediaType) {
    return MediaTypes.isDocker(mediaType) ? "Docker" : mediaType != null && mediaType.startsWith("application/vnd.oci.")
        ? "OCI" : "other";
  }

  /** An aligned table: what the reference is, then one row per entry, then the annotations. */
  public static List<String> table(Inspection inspection) {
    List<String> lines = new ArrayList<>();
    String what = inspection.index()
        ? (MediaTypes.DOCKER_LIST.equals(inspection.top().mediaType()) ? "Docker manifest list" : "OCI image index")
        : (MediaTypes.DOCKER_MANIFEST.equals(inspection.top().mediaType()) ? "Docker image manifest"
            : "OCI image manifest");
    lines.add(inspection.reference() + ": " + what + " " + inspection.top().digest() + " ("
        + inspection.top().size() + " bytes)");
    if (inspection.mixed()) {
      lines.add("  mixed media types: " + String.join(" and ", inspection.families()));
    }
    // the platform column as wide as its longest entry (a Windows os.version makes it long), at least 26
    int platformWidth = Math.max(26, inspection.entries().stream()
        .mapToInt(e -> e.platform() == null ? 1 : e.platform().describe().length()).max().orElse(0));
    String row = "  %-" + platformWidth + "s %-12s %-73s %10s  %s";
    lines.add(String.format(Locale.ROOT, row, "PLATFORM", "KIND", "DIGEST", "SIZE", "MEDIA TYPE"));
    // the referrers' artifact type column as wide as the longest (a Sigstore bundle's is 46 characters), at least 40
    int typeWidth = Math.max(40, java.util.stream.Stream.concat(inspection.referrers().stream(),
        inspection.entries().stream().flatMap(e -> e.referrers().stream()))
        .mapToInt(r -> artifactType(r).length()).max().orElse(0));
    for (Inspection.Entry e : inspection.entries()) {
      lines.add(String.format(Locale.ROOT, row, e.platform() == null ? "-" : e.platform().describe(), e.kind(),
          e.descriptor().digest(), e.descriptor().size(), e.mediaType()));
      for (Map.Entry<String, String> a : new TreeMap<>(e.annotations()).entrySet()) {
        lines.add("      " + a.getKey() + "=" + a.getValue());
      }
      referrerLines(e.referrers(), typeWidth, lines);
    }
    if (inspection.index() && !inspection.referrers().isEmpty()) {
      lines.add("  referrers of the index:");
      referrerLines(inspection.referrers(), typeWidth, lines);
    }
    if (inspection.index() && !inspection.annotations().isEmpty()) {
      lines.add("  annotations:");
      new TreeMap<>(inspection.annotations()).forEach((k, v) -> lines.add("    " + k + "=" + v));
    }
    return lines;
  }

  /** One line per referrer under the entry it refers to: its artifact type, digest and size. */
  private static void referrerLines(List<Descriptor> referrers, int typeWidth, List<String> lines) {
    for (Descriptor r : referrers) {
      lines.add(String.format(Locale.ROOT, "      referrer %-" + typeWidth + "s %s %d", artifactType(r), r.digest(),
          r.size()));
    }
  }

  private static String artifactType(Descriptor referrer) {
    String type = OciJson.text(referrer.extraFields(), "artifactType");
    return type == null ? "-" : type;
  }

  private static ArrayNode referrersJson(List<Descriptor> referrers) {
    ArrayNode array = OciJson.object().arrayNode();
    for (Descriptor r : referrers) {
      ObjectNode node = array.addObject();
      node.put("artifactType", artifactType(r));
      node.put("mediaType", r.mediaType());
      node.put("digest", r.digest().toString());
      node.put("size", r.size());
      ObjectNode annotations = node.putObject("annotations");
      new TreeMap<>(r.annotations()).forEach(annotations::put);
    }
    return array;
  }

  /** A stable JSON document: field names and order do not change between versions without notice. */
  public static ObjectNode json(Inspection inspection) {
    ObjectNode root = OciJson.object();
    root.put("reference", inspection.reference());
    root.put("mediaType", inspection.top().mediaType());
    root.put("digest", inspection.top().digest().toString());
    root.put("size", inspection.top().size());
    root.put("index", inspection.index());
    ArrayNode families = root.putArray("mediaTypeFamilies");
    inspection.families().forEach(families::add);
    root.put("mixed", inspection.mixed());
    OciJson.putStringMap(root, "annotations", inspection.annotations());
    if (!root.has("annotations")) {
      root.putObject("annotations");
    }
    ArrayNode entries = root.putArray("manifests");
    for (Inspection.Entry e : inspection.entries()) {
      ObjectNode node = entries.addObject();
      if (e.platform() != null) {
        node.put("platform", e.platform().toString());
        node.set("platformFields", Descriptor.platformToJson(e.platform()));
      }
      node.put("kind", e.kind());
      node.put("mediaType", e.mediaType());
      node.put("digest", e.descriptor().digest().toString());
      node.put("size", e.descriptor().size());
      ObjectNode annotations = node.putObject("annotations");
      new TreeMap<>(e.annotations()).forEach(annotations::put);
      node.set("referrers", referrersJson(e.referrers()));
    }
    root.set("referrers", referrersJson(inspection.referrers()));
    return root;
  }
}
