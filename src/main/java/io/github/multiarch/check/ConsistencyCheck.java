package io.github.multiarch.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The consistency check, up to the layers: every index entry has a well-formed platform and a media type of
 * the index's family; each manifest and config exists with the digest and size its descriptor claims, its
 * media types stay in one family, its config says the entry's platform, and it lists as many diff IDs as it
 * has layers; no platform appears twice. It fills the {@link VerifiedImage}s the other checks read. (Layer
 * digests and diff IDs are checked by {@link LayersCheck}, which reads each layer once for both.)
 */
final class ConsistencyCheck {
  private static final int MAX_CONFIG_BYTES = 16 * 1024 * 1024;
  /** Why the last platform {@link #wellFormed} refused is not valid. */
  private String invalidReason;

  /** The index's entries, each with its platform checked; attestation entries are counted, not checked. */
  void readIndex(VerifyContext c, byte[] bytes, ObjectNode json, String type) {
    Row indexRow = c.report.indexRow();
    ImageIndex index;
    try {
      index = ImageIndex.parse(bytes, type, "the index " + c.root.descriptor().digest());
    } catch (MultiarchException e) {
      c.report.add(indexRow, CheckStatus.FAIL, Check.CONSISTENCY, e.getMessage());
      return;
    }
    String childType = MediaTypes.OCI_INDEX.equals(type) ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
    JsonNode rawEntries = json.get("manifests");
    int attestations = 0;
    for (int i = 0; i < index.manifests().size(); i++) {
      Descriptor d = index.manifests().get(i);
      JsonNode rawPlatform = rawEntries.get(i).get("platform");
      String entryName = "entry " + i + " (" + VerifyContext.shortDigest(d.digest()) + ")";
      if (d.platform() != null && d.platform().isUnknown()) {
        attestations++;
        continue;
      }
      VerifiedImage entry = new VerifiedImage(i, d);
      if (rawPlatform == null || !rawPlatform.isObject()) {
        entry.row = c.report.addRow(entryName, null);
        c.report.add(entry.row, CheckStatus.FAIL, Check.CONSISTENCY, "the index entry has no platform");
      } else {
        Platform platform = wellFormed(rawPlatform, entryName);
        entry.platform = platform != null ? platform : d.platform();
        entry.row = c.report.addRow(platform != null ? platform.describe() : entryName, platform);
        if (platform == null) {
          c.report.add(entry.row, CheckStatus.FAIL, Check.CONSISTENCY, "not a valid platform: " + invalidReason);
        }
        checkPlatformFields(c, entry, rawPlatform);
      }
      if (MediaTypes.isIndex(d.mediaType())) {
        c.report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, "the entry is itself an index ("
            + d.mediaType() + "); nested indexes are not verified");
        entry.layersReadable = false;
        continue;
      }
      if (!childType.equals(d.mediaType())) {
        c.report.add(entry.row, CheckStatus.FAIL, Check.CONSISTENCY, "media type " + d.mediaType() + " in "
            + VerifyContext.describeType(type) + " (expected " + childType + ": media-type families stay together)");
      }
      c.images.add(entry);
    }
    if (attestations > 0) {
      indexRow.detail(VerifyReport.plural(attestations, "attestation manifest") + " (unknown/unknown) not checked");
    }
    if (c.images.isEmpty() && index.manifests().size() == attestations) {
      c.report.add(indexRow, CheckStatus.FAIL, Check.CONSISTENCY, "the index has no platform images");
    }
  }

  /** The entry's platform, validated as a POM platform would be; null (and {@link #invalidReason}) if invalid. */
  private Platform wellFormed(JsonNode p, String entryName) {
    try {
      List<String> features = new ArrayList<>();
      if (p.get("os.features") != null) {
        p.get("os.features").forEach(f -> features.add(f.asText()));
      }
      return Platform.of("platform", OciJson.text(p, "os"), OciJson.text(p, "architecture"),
          OciJson.text(p, "variant"), OciJson.text(p, "os.version"), features);
    } catch (InvalidInputException e) {
      invalidReason = e.getMessage();
      return null;
    }
  }

  private void checkPlatformFields(VerifyContext c, VerifiedImage entry, JsonNode p) {
    String architecture = OciJson.text(p, "architecture");
    if ("arm".equals(architecture) && OciJson.text(p, "variant") == null) {
      c.report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, "architecture arm without a variant (read as "
          + "v7 by runtimes; write v5, v6 or v7)");
    }
    if ("windows".equals(OciJson.text(p, "os")) && OciJson.text(p, "os.version") == null) {
      c.report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, "a windows entry without os.version: nodes "
          + "cannot pick the image for their Windows build");
    }
  }

  /** Each image's manifest and config. */
  void readImages(VerifyContext c) {
    for (VerifiedImage image : c.images) {
      readImage(c, image);
    }
  }

  private void readImage(VerifyContext c, VerifiedImage entry) {
    Descriptor d = entry.descriptor;
    byte[] bytes;
    try {
      bytes = c.source.manifest(d);
    } catch (IOException e) {
      c.fail(entry, Check.CONSISTENCY, e.getMessage());
      entry.layersReadable = false;
      return;
    }
    try {
      String own = OciJson.text(OciJson.parseObject(bytes, "manifest " + d.digest()), "mediaType");
      if (own != null && d.mediaType() != null && !own.equals(d.mediaType())) {
        c.fail(entry, Check.CONSISTENCY, "the index entry says media type " + d.mediaType() + ", manifest "
            + VerifyContext.shortDigest(d.digest()) + " says " + own);
      }
      entry.manifest = ImageManifest.parse(bytes, d.mediaType(), "manifest " + d.digest());
    } catch (MultiarchException e) {
      c.fail(entry, Check.CONSISTENCY, e.getMessage());
      entry.layersReadable = false;
      return;
    }
    ImageManifest manifest = entry.manifest;
    boolean docker = MediaTypes.isDocker(manifest.mediaType());
    String configType = docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
    String layerPrefix = docker ? "application/vnd.docker.image.rootfs." : "application/vnd.oci.image.layer.";
    if (!configType.equals(manifest.config().mediaType())) {
      c.fail(entry, Check.CONSISTENCY, "config media type " + manifest.config().mediaType() + " in a "
          + VerifyContext.describeType(manifest.mediaType()) + " (expected " + configType + ")");
    }
    for (int i = 0; i < manifest.layers().size(); i++) {
      String type = manifest.layers().get(i).mediaType();
      if (type == null || !type.startsWith(layerPrefix)) {
        c.fail(entry, Check.CONSISTENCY, "layer " + i + " has media type " + type + " in a "
            + VerifyContext.describeType(manifest.mediaType()) + " (expected " + layerPrefix + "*)");
      }
    }
    try {
      byte[] configBytes = c.source.smallBlob(manifest.config(), "config", MAX_CONFIG_BYTES);
      entry.config = ImageConfig.parse(configBytes, "config " + manifest.config().digest());
    } catch (IOException | MultiarchException e) {
      c.fail(entry, Check.CONSISTENCY, e.getMessage());
      return;
    }
    Platform declared = entry.config.platform();
    if (entry.row == null) { // a single image: its platform is its config's
      entry.platform = declared;
      entry.row = c.report.addRow(declared.describe(), declared);
      Platform valid = wellFormed(entry.config.toJson(), declared.describe());
      if (valid == null) {
        c.fail(entry, Check.CONSISTENCY, "the config's platform is not valid: " + invalidReason);
      }
    } else if (entry.platform != null && !samePlatform(entry.platform, declared)) {
      ObjectNode raw = entry.config.toJson();
      c.fail(entry, Check.CONSISTENCY, "the index entry says " + entry.platform.describe() + ", its config "
          + VerifyContext.shortDigest(manifest.config().digest()) + " says " + describeRaw(raw)
          + " (a node pulling " + entry.platform + " would get an image for " + declared + ")");
    }
    long foreign = manifest.layers().stream().filter(l -> MediaTypes.isNonDistributable(l.mediaType())).count();
    if (foreign > 0) {
      // a Windows base's layers that only their urls serve: never in a layout the build wrote, nor pushed
      // (image-spec layer.md, "Non-distributable layers"); said once per image, not a failure
      entry.row.detail(VerifyReport.plural((int) foreign, "foreign layer") + " (not distributable, fetched by the "
          + "node from their urls) not checked");
    }
    int diffIds = entry.config.diffIds().size();
    if (diffIds != manifest.layers().size()) {
      c.fail(entry, Check.CONSISTENCY, "the manifest has " + manifest.layers().size() + " layers, the config's "
          + "rootfs.diff_ids " + diffIds);
    }
  }

  /** Same os, architecture and variant; for Windows the same os.version too. */
  private boolean samePlatform(Platform entry, Platform config) {
    boolean same = entry.os().equals(config.os()) && entry.architecture().equals(config.architecture())
        && entry.variant().equals(config.variant());
    if ("windows".equals(entry.os())) {
      same &= entry.osVersion().equals(config.osVersion());
    }
    return same;
  }

  /** The same platform twice in the index: a runtime takes the first. */
  void checkDuplicates(VerifyContext c) {
    Map<Platform, List<VerifiedImage>> byPlatform = new LinkedHashMap<>();
    for (VerifiedImage e : c.images) {
      if (e.platform != null && e.index >= 0) {
        byPlatform.computeIfAbsent(e.platform, k -> new ArrayList<>()).add(e);
      }
    }
    byPlatform.forEach((platform, list) -> {
      if (list.size() > 1) {
        String which = list.stream().map(e -> "entry " + e.index + " " + VerifyContext.shortDigest(e.descriptor.digest()))
            .collect(Collectors.joining(", "));
        for (VerifiedImage e : list) {
          e.row.set(Check.CONSISTENCY, CheckStatus.FAIL);
        }
        c.report.add(c.report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, platform.describe() + " appears "
            + list.size() + " times (" + which + "): a runtime takes the first and ignores the rest");
      }
    });
  }

  private static String describeRaw(ObjectNode config) {
    String os = OciJson.text(config, "os");
    String architecture = OciJson.text(config, "architecture");
    String variant = OciJson.text(config, "variant");
    String version = OciJson.text(config, "os.version");
    return os + "/" + architecture + (variant != null ? "/" + variant : "")
        + (version != null ? " (os.version " + version + ")" : "");
  }
}
