package io.github.multiarch.check;

import io.github.multiarch.Sizes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.check.ArchitectureJudge.Judgement;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checks behind {@code multiarch:verify}, run on an image or index from an {@link ImageContent}:
 *
 * <ol>
 *   <li><b>required platforms</b> are all in the index, matched as runtimes match them; every entry is a
 *       well-formed platform;</li>
 *   <li><b>consistency</b>: each entry's platform is its config's; manifests, configs and layers exist with the
 *       digests and sizes their descriptors claim (verified while streaming), layers with the diff IDs their
 *       config lists; media types stay in one family; no platform twice;</li>
 *   <li><b>binaries</b>: every executable and shared library of a platform's file system (after whiteouts) is
 *       built for that platform's CPU, read from the ELF or PE header while each layer is streamed once;</li>
 *   <li><b>smoke run</b> (optional): each Linux platform's entrypoint runs, natively or under QEMU.</li>
 * </ol>
 *
 * <p>Every check runs to its end and all findings are reported together in a {@link VerifyReport}.
 */
public final class ImageVerifier {
  /** The most mismatching binaries listed one by one per platform; the rest are counted. */
  static final int MAX_LISTED = 10;
  private static final int MAX_CONFIG_BYTES = 16 * 1024 * 1024;

  private final EngineLog log;
  private final SmokeRunner runner;

  public ImageVerifier(EngineLog log, SmokeRunner runner) {
    this.log = log;
    this.runner = runner;
  }

  /** Verifies every image or index the source names. */
  public List<VerifyReport> verify(ImageContent source, VerifyRequest request) {
    List<ImageContent.Root> roots = source.roots();
    if (roots.isEmpty()) {
      throw new MultiarchException(source.describe() + " names no image (its index.json is empty)");
    }
    List<VerifyReport> reports = new ArrayList<>();
    for (ImageContent.Root root : roots) {
      reports.add(new Run(source, root, request).verify());
    }
    return reports;
  }

  /** One entry of the index (or the single image) and what was learnt about it. */
  private static final class Entry {
    final int index;
    final Descriptor descriptor;
    Platform platform;
    Row row;
    ImageManifest manifest;
    ImageConfig config;
    boolean layersReadable = true;

    Entry(int index, Descriptor descriptor) {
      this.index = index;
      this.descriptor = descriptor;
    }
  }

  /** A layer as read once: its scan, or why it could not be read. */
  private record LayerOutcome(LayerScan scan, String failure, String unreadable, boolean missingForeign) {}

  /** The verification of one root. */
  private final class Run {
    private final ImageContent source;
    private final ImageContent.Root root;
    private final VerifyRequest request;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Digest, LayerOutcome> layerCache = new HashMap<>();
    private final Map<Digest, Integer> layerUses = new HashMap<>();
    private VerifyReport report;
    private boolean isIndex;
    /** Why the last platform {@link #wellFormed} refused is not valid. */
    private String invalidReason;

    Run(ImageContent source, ImageContent.Root root, VerifyRequest request) {
      this.source = source;
      this.root = root;
      this.request = request;
    }

    VerifyReport verify() {
      String name = source.describe().endsWith(root.name()) ? source.describe()
          : source.describe() + " (" + root.name() + ")";
      Descriptor top = root.descriptor();
      byte[] bytes;
      ObjectNode json;
      try {
        bytes = source.manifest(top);
        json = OciJson.parseObject(bytes, "the top-level manifest " + top.digest());
      } catch (IOException | MultiarchException e) {
        report = new VerifyReport(name, "unreadable " + top.digest(), "index");
        report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, e.getMessage());
        return report;
      }
      String ownType = OciJson.text(json, "mediaType");
      String type = ownType != null ? ownType : top.mediaType() != null ? top.mediaType()
          : json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
      isIndex = MediaTypes.isIndex(type);
      report = new VerifyReport(name, describeType(type) + " " + top.digest(), isIndex ? "index" : "image");
      if (ownType != null && top.mediaType() != null && !ownType.equals(top.mediaType())) {
        report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, "its descriptor says media type "
            + top.mediaType() + ", the content says " + ownType);
      }
      if (isIndex) {
        readIndex(bytes, json, type);
      } else if (MediaTypes.isManifest(type)) {
        entries.add(new Entry(-1, new Descriptor(type, top.digest(), top.size())));
      } else {
        report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, "media type " + type
            + " is neither an image index nor an image manifest");
        return report;
      }
      for (Entry entry : entries) {
        readImage(entry);
      }
      checkRequired();
      checkDuplicates();
      for (Entry entry : entries) {
        if (entry.manifest != null) {
          entry.manifest.layers().forEach(l -> layerUses.merge(l.digest(), 1, Integer::sum));
        }
      }
      for (Entry entry : entries) {
        if (entry.manifest != null) {
          checkLayers(entry);
        }
      }
      if (request.smoke() != null) {
        for (Entry entry : entries) {
          smoke(entry);
        }
      }
      if (report.indexRow().result(Check.CONSISTENCY) == null) {
        report.add(report.indexRow(), CheckStatus.PASS, Check.CONSISTENCY, null);
      }
      return report;
    }

    // ------------------------------------------------------------------------------------- the index

    private void readIndex(byte[] bytes, ObjectNode json, String type) {
      Row indexRow = report.indexRow();
      ImageIndex index;
      try {
        index = ImageIndex.parse(bytes, type, "the index " + root.descriptor().digest());
      } catch (MultiarchException e) {
        report.add(indexRow, CheckStatus.FAIL, Check.CONSISTENCY, e.getMessage());
        return;
      }
      String childType = MediaTypes.OCI_INDEX.equals(type) ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
      JsonNode rawEntries = json.get("manifests");
      int attestations = 0;
      for (int i = 0; i < index.manifests().size(); i++) {
        Descriptor d = index.manifests().get(i);
        JsonNode rawPlatform = rawEntries.get(i).get("platform");
        String entryName = "entry " + i + " (" + shortDigest(d.digest()) + ")";
        if (d.platform() != null && d.platform().isUnknown()) {
          attestations++;
          continue;
        }
        Entry entry = new Entry(i, d);
        if (rawPlatform == null || !rawPlatform.isObject()) {
          entry.row = report.addRow(entryName, null);
          report.add(entry.row, CheckStatus.FAIL, Check.CONSISTENCY, "the index entry has no platform");
        } else {
          Platform platform = wellFormed(rawPlatform, entryName);
          entry.platform = platform != null ? platform : d.platform();
          entry.row = report.addRow(platform != null ? platform.describe() : entryName, platform);
          if (platform == null) {
            report.add(entry.row, CheckStatus.FAIL, Check.CONSISTENCY, "not a valid platform: " + invalidReason);
          }
          checkPlatformFields(entry, rawPlatform);
        }
        if (MediaTypes.isIndex(d.mediaType())) {
          report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, "the entry is itself an index ("
              + d.mediaType() + "); nested indexes are not verified");
          entry.layersReadable = false;
          continue;
        }
        if (!childType.equals(d.mediaType())) {
          report.add(entry.row, CheckStatus.FAIL, Check.CONSISTENCY, "media type " + d.mediaType() + " in "
              + describeType(type) + " (expected " + childType + ": media-type families stay together)");
        }
        entries.add(entry);
      }
      if (attestations > 0) {
        indexRow.detail(VerifyReport.plural(attestations, "attestation manifest") + " (unknown/unknown) not checked");
      }
      if (entries.isEmpty() && index.manifests().size() == attestations) {
        report.add(indexRow, CheckStatus.FAIL, Check.CONSISTENCY, "the index has no platform images");
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

    private void checkPlatformFields(Entry entry, JsonNode p) {
      String architecture = OciJson.text(p, "architecture");
      if ("arm".equals(architecture) && OciJson.text(p, "variant") == null) {
        report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, "architecture arm without a variant (read as "
            + "v7 by runtimes; write v5, v6 or v7)");
      }
      if ("windows".equals(OciJson.text(p, "os")) && OciJson.text(p, "os.version") == null) {
        report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, "a windows entry without os.version: nodes "
            + "cannot pick the image for their Windows build");
      }
    }

    // --------------------------------------------------------------------------- manifest and config

    private void readImage(Entry entry) {
      Descriptor d = entry.descriptor;
      byte[] bytes;
      try {
        bytes = source.manifest(d);
      } catch (IOException e) {
        fail(entry, Check.CONSISTENCY, e.getMessage());
        entry.layersReadable = false;
        return;
      }
      try {
        String own = OciJson.text(OciJson.parseObject(bytes, "manifest " + d.digest()), "mediaType");
        if (own != null && d.mediaType() != null && !own.equals(d.mediaType())) {
          fail(entry, Check.CONSISTENCY, "the index entry says media type " + d.mediaType() + ", manifest "
              + shortDigest(d.digest()) + " says " + own);
        }
        entry.manifest = ImageManifest.parse(bytes, d.mediaType(), "manifest " + d.digest());
      } catch (MultiarchException e) {
        fail(entry, Check.CONSISTENCY, e.getMessage());
        entry.layersReadable = false;
        return;
      }
      ImageManifest manifest = entry.manifest;
      boolean docker = MediaTypes.isDocker(manifest.mediaType());
      String configType = docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
      String layerPrefix = docker ? "application/vnd.docker.image.rootfs." : "application/vnd.oci.image.layer.";
      if (!configType.equals(manifest.config().mediaType())) {
        fail(entry, Check.CONSISTENCY, "config media type " + manifest.config().mediaType() + " in a "
            + describeType(manifest.mediaType()) + " (expected " + configType + ")");
      }
      for (int i = 0; i < manifest.layers().size(); i++) {
        String type = manifest.layers().get(i).mediaType();
        if (type == null || !type.startsWith(layerPrefix)) {
          fail(entry, Check.CONSISTENCY, "layer " + i + " has media type " + type + " in a "
              + describeType(manifest.mediaType()) + " (expected " + layerPrefix + "*)");
        }
      }
      try {
        byte[] configBytes = source.smallBlob(manifest.config(), "config", MAX_CONFIG_BYTES);
        entry.config = ImageConfig.parse(configBytes, "config " + manifest.config().digest());
      } catch (IOException | MultiarchException e) {
        fail(entry, Check.CONSISTENCY, e.getMessage());
        return;
      }
      Platform declared = entry.config.platform();
      if (entry.row == null) { // a single image: its platform is its config's
        entry.platform = declared;
        entry.row = report.addRow(declared.describe(), declared);
        Platform valid = wellFormed(entry.config.toJson(), declared.describe());
        if (valid == null) {
          fail(entry, Check.CONSISTENCY, "the config's platform is not valid: " + invalidReason);
        }
      } else if (entry.platform != null && !samePlatform(entry.platform, declared)) {
        ObjectNode c = entry.config.toJson();
        fail(entry, Check.CONSISTENCY, "the index entry says " + entry.platform.describe() + ", its config "
            + shortDigest(manifest.config().digest()) + " says " + describeRaw(c)
            + " (a node pulling " + entry.platform + " would get an image for " + declared + ")");
      }
      int diffIds = entry.config.diffIds().size();
      if (diffIds != manifest.layers().size()) {
        fail(entry, Check.CONSISTENCY, "the manifest has " + manifest.layers().size() + " layers, the config's "
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

    // ------------------------------------------------------------------------------------- platforms

    private void checkRequired() {
      Row indexRow = report.indexRow();
      List<Platform> present = entries.stream().map(e -> e.platform).filter(p -> p != null).toList();
      if (request.requiredPlatforms().isEmpty()) {
        boolean allValid = entries.stream().allMatch(e -> e.row != null && e.row.platform() != null);
        report.add(indexRow, allValid ? CheckStatus.PASS : CheckStatus.FAIL, Check.REQUIRED, null);
        indexRow.detail("no required platforms given: " + VerifyReport.plural(present.size(), "platform")
            + (allValid ? ", all well-formed" : ", not all well-formed"));
        return;
      }
      List<String> missing = new ArrayList<>();
      for (Platform required : request.requiredPlatforms()) {
        Entry match = entries.stream().filter(e -> e.platform != null && matches(required, e.platform)).findFirst()
            .orElse(null);
        if (match != null) {
          match.row.set(Check.REQUIRED, CheckStatus.PASS);
          continue;
        }
        String hint = entries.stream().filter(e -> e.platform != null && required.canRun(e.platform))
            .map(e -> " (the index has " + e.platform + ", which a " + required + " node would also run, but no "
                + "image built for " + required + ")").findFirst().orElse("");
        missing.add(required.describe() + hint);
        Row row = report.addRow(required.describe(), required);
        row.set(Check.REQUIRED, CheckStatus.FAIL);
        row.detail("missing from the index");
      }
      for (Entry e : entries) {
        if (e.row != null && e.row.result(Check.REQUIRED) == null) {
          e.row.detail("not required");
        }
      }
      if (missing.isEmpty()) {
        report.add(indexRow, CheckStatus.PASS, Check.REQUIRED, null);
        indexRow.detail("all " + VerifyReport.plural(request.requiredPlatforms().size(), "required platform")
            + " present");
      } else {
        String has = present.isEmpty() ? "nothing" : present.stream().map(Platform::describe)
            .collect(Collectors.joining(", "));
        report.add(indexRow, CheckStatus.FAIL, Check.REQUIRED, "missing required platform"
            + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + "; the index has " + has
            + " (required: " + request.requiredFrom() + ")");
      }
    }

    /** As a runtime matches: same os, architecture and variant (arm64 = arm64/v8); os.version when required. */
    private boolean matches(Platform required, Platform candidate) {
      return required.compatibilityRank(candidate) == 0
          && (required.osVersion().isEmpty() || required.osVersion().equals(candidate.osVersion()));
    }

    private void checkDuplicates() {
      Map<Platform, List<Entry>> byPlatform = new LinkedHashMap<>();
      for (Entry e : entries) {
        if (e.platform != null && e.index >= 0) {
          byPlatform.computeIfAbsent(e.platform, k -> new ArrayList<>()).add(e);
        }
      }
      byPlatform.forEach((platform, list) -> {
        if (list.size() > 1) {
          String which = list.stream().map(e -> "entry " + e.index + " " + shortDigest(e.descriptor.digest()))
              .collect(Collectors.joining(", "));
          for (Entry e : list) {
            e.row.set(Check.CONSISTENCY, CheckStatus.FAIL);
          }
          report.add(report.indexRow(), CheckStatus.FAIL, Check.CONSISTENCY, platform.describe() + " appears "
              + list.size() + " times (" + which + "): a runtime takes the first and ignores the rest");
        }
      });
    }

    // ---------------------------------------------------------------------------------- the layers

    private void checkLayers(Entry entry) {
      ImageManifest manifest = entry.manifest;
      List<String> diffIds = entry.config != null ? entry.config.diffIds() : List.of();
      ImageFiles files = new ImageFiles();
      boolean judgedAll = true;
      long size = 0;
      for (int i = 0; i < manifest.layers().size(); i++) {
        Descriptor layer = manifest.layers().get(i);
        size += layer.size();
        LayerOutcome outcome = layer(layer);
        String which = "layer " + i + " (" + shortDigest(layer.digest()) + ")";
        if (outcome.failure() != null) {
          if (outcome.missingForeign()) {
            report.add(entry.row, CheckStatus.WARN, Check.CONSISTENCY, which + " is a foreign layer that is not "
                + "stored here (" + outcome.failure() + "); not checked");
          } else {
            fail(entry, Check.CONSISTENCY, which + ": " + outcome.failure());
          }
          entry.layersReadable = false;
          judgedAll = false;
          continue;
        }
        if (outcome.unreadable() != null) {
          judgedAll = false;
          entry.layersReadable = false;
          if (request.binaryCheck() != BinaryCheck.OFF) {
            report.add(entry.row, CheckStatus.WARN, Check.BINARIES, which + " was not read: "
                + outcome.unreadable() + "; its files are not judged");
          }
          continue;
        }
        Digest diffId = outcome.scan().diffId();
        if (i < diffIds.size() && !diffId.toString().equals(diffIds.get(i))) {
          fail(entry, Check.CONSISTENCY, which + " uncompresses to " + diffId + ", the config's rootfs.diff_ids["
              + i + "] says " + diffIds.get(i));
        }
        files.apply(outcome.scan(), i);
      }
      if (entry.row.result(Check.CONSISTENCY) == null) {
        entry.row.set(Check.CONSISTENCY, CheckStatus.PASS);
      }
      entry.row.detail(VerifyReport.plural(manifest.layers().size(), "layer") + ", " + Sizes.human(size));
      if (request.binaryCheck() == BinaryCheck.OFF) {
        entry.row.set(Check.BINARIES, CheckStatus.SKIP);
        return;
      }
      if (entry.platform == null) {
        entry.row.set(Check.BINARIES, CheckStatus.SKIP);
        return;
      }
      judge(entry, files, judgedAll, manifest);
    }

    private void judge(Entry entry, ImageFiles files, boolean judgedAll, ImageManifest manifest) {
      CheckStatus mismatchStatus = request.binaryCheck() == BinaryCheck.FAIL ? CheckStatus.FAIL : CheckStatus.WARN;
      int judged = 0;
      int mismatches = 0;
      int ignored = 0;
      List<String> compatible = new ArrayList<>();
      for (Map.Entry<String, ImageFiles.Found> e : files.executables().entrySet()) {
        String path = EntryName.display(e.getKey());
        if (request.binaryCheckIgnore().stream().anyMatch(g -> g.matches(path))) {
          ignored++;
          continue;
        }
        Executable executable = e.getValue().executable();
        Judgement judgement = ArchitectureJudge.judge(executable, entry.platform);
        int layer = e.getValue().layer();
        String where = "layer " + layer + " of " + manifest.layers().size() + ", "
            + shortDigest(manifest.layers().get(layer).digest());
        switch (judgement.verdict()) {
          case MATCH -> judged++;
          case COMPATIBLE -> {
            judged++;
            compatible.add(path);
            if (compatible.size() <= MAX_LISTED) {
              report.add(entry.row, CheckStatus.WARN, Check.BINARIES, path + " is built for "
                  + executable.architecture() + " (" + executable.describe() + "), expected "
                  + entry.platform.architecture() + ": " + judgement.reason() + " (" + where + ")");
            }
          }
          case MISMATCH -> {
            judged++;
            mismatches++;
            if (mismatches <= MAX_LISTED) {
              report.add(entry.row, mismatchStatus, Check.BINARIES, path + " is built for "
                  + executable.architecture() + " (" + executable.describe() + "), expected "
                  + expectedArchitecture(entry.platform)
                  + (judgement.reason() != null ? ": " + judgement.reason() : "") + " (" + where + ")");
            }
          }
          case IGNORED -> {
            // not loadable, not for this OS, or architecture-independent
          }
          default -> throw new IllegalStateException();
        }
      }
      if (mismatches > MAX_LISTED) {
        report.add(entry.row, mismatchStatus, Check.BINARIES, "and " + (mismatches - MAX_LISTED)
            + " more files built for other CPUs");
      }
      if (compatible.size() > MAX_LISTED) {
        report.add(entry.row, CheckStatus.WARN, Check.BINARIES, "and " + (compatible.size() - MAX_LISTED)
            + " more 32-bit files");
      }
      if (entry.row.result(Check.BINARIES) == null) {
        entry.row.set(Check.BINARIES, judgedAll ? CheckStatus.PASS : CheckStatus.WARN);
      }
      entry.row.detail(VerifyReport.plural(judged, "executable") + (mismatches > 0 ? " (" + mismatches
          + " for other CPUs)" : judged > 0 ? " for " + entry.platform.architecture() : "")
          + (ignored > 0 ? ", " + ignored + " ignored by binaryCheckIgnore" : ""));
    }

    private String expectedArchitecture(Platform platform) {
      return platform.architecture() + (platform.variant().isEmpty() ? "" : " (" + platform + ")");
    }

    /** Reads a layer once, however many platforms have it; keeps the result while a platform still needs it. */
    private LayerOutcome layer(Descriptor layer) {
      LayerOutcome outcome = layerCache.get(layer.digest());
      if (outcome == null) {
        outcome = readLayer(layer);
        if (layerUses.getOrDefault(layer.digest(), 0) > 1) {
          layerCache.put(layer.digest(), outcome);
        }
      }
      int left = layerUses.merge(layer.digest(), -1, Integer::sum);
      if (left <= 0) {
        layerCache.remove(layer.digest());
      }
      return outcome;
    }

    private LayerOutcome readLayer(Descriptor layer) {
      long start = System.nanoTime();
      try (BlobInputStream in = source.blob(layer, "layer")) {
        if (!LayerReader.canRead(layer.mediaType())) {
          in.drain(); // its digest and size are still verified
          return new LayerOutcome(null, null, LayerReader.compression(layer.mediaType()) == null
              ? "media type " + layer.mediaType() + " is not a tar layer"
              : "media type " + layer.mediaType() + " needs zstd-jni, which is not on the plugin's class path",
              false);
        }
        boolean judge = request.binaryCheck() != BinaryCheck.OFF;
        LayerScan scan = new LayerScan(judge);
        Digest diffId;
        try {
          diffId = LayerReader.read(in, layer.mediaType(), judge ? scan : (e, n, c) -> { });
        } catch (LayerReader.UnsafeEntryException e) {
          in.drain();
          throw e;
        } catch (IOException e) {
          // bad content shows up first as bad compression or a bad tar: say whether the blob is what it claims
          in.drain();
          String compression = LayerReader.compression(layer.mediaType());
          throw new IOException("matches its digest but is not " + (compression.equals("none") ? "a tar"
              : "a " + compression + "-compressed tar") + " as its media type says: " + e.getMessage(), e);
        }
        scan.setDiffId(diffId);
        log.debug(String.format(java.util.Locale.ROOT, "multiarch: read layer %s (%s, %d files) in %.1f s",
            layer.digest(), Sizes.human(layer.size()), scan.files(), (System.nanoTime() - start) / 1e9));
        return new LayerOutcome(scan, null, null, false);
      } catch (IOException | MultiarchException e) {
        boolean foreign = !layer.extraFields().path("urls").isMissingNode()
            || (layer.mediaType() != null && (layer.mediaType().contains("foreign")
            || layer.mediaType().contains("nondistributable")));
        boolean missing = e.getMessage() != null && e.getMessage().contains("missing");
        return new LayerOutcome(null, describe(e), null, foreign && missing);
      }
    }

    // -------------------------------------------------------------------------------------- smoke run

    private void smoke(Entry entry) {
      if (entry.row == null) {
        return;
      }
      if (entry.platform == null || !"linux".equals(entry.platform.os())) {
        report.add(entry.row, CheckStatus.SKIP, Check.SMOKE, null);
        entry.row.detail("smoke run: linux platforms only");
        return;
      }
      if (entry.manifest == null || entry.config == null || !entry.layersReadable) {
        report.add(entry.row, CheckStatus.SKIP, Check.SMOKE, null);
        entry.row.detail("smoke run skipped: the image could not be read whole");
        return;
      }
      VerifyRequest.Smoke options = request.smoke();
      Path directory = null;
      try {
        Files.createDirectories(options.workDirectory());
        directory = Files.createTempDirectory(options.workDirectory(), "smoke-" + entry.platform.slug() + "-");
        Path rootfs = Files.createDirectory(directory.resolve("rootfs"));
        SafeUnpacker unpacker = new SafeUnpacker(rootfs);
        List<Descriptor> layers = entry.manifest.layers();
        for (int i = 0; i < layers.size(); i++) {
          Descriptor layer = layers.get(i);
          unpacker.startLayer();
          try (BlobInputStream in = source.blob(layer, "layer")) {
            LayerReader.read(in, layer.mediaType(), unpacker);
          } catch (RootPath.EscapeException e) {
            fail(entry, Check.SMOKE, "unpacking refused layer " + i + " (" + shortDigest(layer.digest()) + "): "
                + e.getMessage());
            return;
          }
        }
        List<String> command = options.command().isEmpty() ? invocation(entry.config) : options.command();
        SmokeRunner.Invocation invocation = new SmokeRunner.Invocation(command, entry.config.environment(),
            entry.config.workingDirectory());
        log.info("multiarch: smoke run of " + entry.platform + " (" + (runner.isNative(entry.platform) ? "native"
            : SmokeRunner.qemuProgram(entry.platform.architecture())) + "): " + String.join(" ", command));
        SmokeRunner.Result result = runner.run(rootfs, entry.platform, invocation, options.expect(),
            options.timeout());
        if (!result.output().isBlank()) {
          result.output().strip().lines().limit(20).forEach(l -> log.debug("multiarch:   | " + l));
        }
        if (result.passed()) {
          report.add(entry.row, CheckStatus.PASS, Check.SMOKE, null);
          entry.row.detail("smoke run " + result.summary());
        } else {
          fail(entry, Check.SMOKE, String.join(" ", command) + ": " + result.summary());
        }
      } catch (IOException | MultiarchException e) {
        fail(entry, Check.SMOKE, describe(e));
      } finally {
        if (directory != null) {
          try {
            SafeUnpacker.deleteTree(directory);
          } catch (IOException e) {
            log.warn("multiarch: could not delete " + directory + ": " + e.getMessage());
          }
        }
      }
    }

    private List<String> invocation(ImageConfig config) {
      List<String> command = new ArrayList<>(config.entrypoint());
      command.addAll(config.cmd());
      return command;
    }

    private void fail(Entry entry, Check check, String message) {
      Row row = entry.row != null ? entry.row : report.indexRow();
      report.add(row, CheckStatus.FAIL, check, message);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }

  private static String describeType(String mediaType) {
    if (mediaType == null) {
      return "image";
    }
    return switch (mediaType) {
      case MediaTypes.OCI_INDEX -> "OCI image index";
      case MediaTypes.DOCKER_LIST -> "Docker manifest list";
      case MediaTypes.OCI_MANIFEST -> "OCI image manifest";
      case MediaTypes.DOCKER_MANIFEST -> "Docker image manifest";
      default -> mediaType;
    };
  }

  private static String describeRaw(ObjectNode config) {
    String os = OciJson.text(config, "os");
    String architecture = OciJson.text(config, "architecture");
    String variant = OciJson.text(config, "variant");
    String version = OciJson.text(config, "os.version");
    return os + "/" + architecture + (variant != null ? "/" + variant : "")
        + (version != null ? " (os.version " + version + ")" : "");
  }

  static String shortDigest(Digest digest) {
    return digest.algorithm() + ":" + digest.shortHex();
  }

}
