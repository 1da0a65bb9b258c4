package io.github.multiarch.check;

import io.github.multiarch.Sizes;
import io.github.multiarch.check.ArchitectureJudge.Judgement;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.image.BlobInputStream;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of every image, each streamed once however many platforms share it: its digest and size (and
 * diff ID against the config) for the consistency check, and, for the binaries check, every executable and
 * shared library of the platform's file system (after whiteouts), judged by its ELF or PE header against the
 * platform's CPU and OS. In a Windows image the container's files are the layers' {@code Files/} (its
 * {@code C:\}), reported as {@code /app/greet.exe} like a Linux path so that {@code binaryCheckIgnore} patterns
 * read the same; {@code Hives/} (registry changes) and {@code UtilityVM/} (older Hyper-V bases) are no files of
 * the container and are not judged.
 */
final class LayersCheck {
  /** The most mismatching binaries listed one by one per platform; the rest are counted. */
  static final int MAX_LISTED = 10;

  /** A layer as read once: its scan, or why it could not be read. */
  private record LayerOutcome(LayerScan scan, String failure, String unreadable, boolean missingForeign) {}

  private final VerifyContext c;
  private final Map<Digest, LayerOutcome> layerCache = new HashMap<>();
  private final Map<Digest, Integer> layerUses = new HashMap<>();

  LayersCheck(VerifyContext context) {
    this.c = context;
  }

  void check() {
    for (VerifiedImage image : c.images) {
      if (image.manifest != null) {
        image.manifest.layers().forEach(l -> layerUses.merge(l.digest(), 1, Integer::sum));
      }
    }
    for (VerifiedImage image : c.images) {
      if (image.manifest != null) {
        checkLayers(image);
      }
    }
  }

  private void checkLayers(VerifiedImage entry) {
    ImageManifest manifest = entry.manifest;
    List<String> diffIds = entry.config != null ? entry.config.diffIds() : List.of();
    ImageFiles files = new ImageFiles();
    boolean judgedAll = true;
    long size = 0;
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      size += layer.size();
      LayerOutcome outcome = layer(layer);
      String which = "layer " + i + " (" + VerifyContext.shortDigest(layer.digest()) + ")";
      if (outcome.failure() != null && outcome.missingForeign()) {
        // a non-distributable base layer that only its urls serve: ConsistencyCheck notes it once per image;
        // its files are the base's operating system, never this build's
        entry.layersReadable = false;
        continue;
      }
      if (outcome.failure() != null) {
        c.fail(entry, Check.CONSISTENCY, which + ": " + outcome.failure());
        entry.layersReadable = false;
        judgedAll = false;
        continue;
      }
      if (outcome.unreadable() != null) {
        judgedAll = false;
        entry.layersReadable = false;
        if (c.request.binaryCheck() != BinaryCheck.OFF) {
          c.report.add(entry.row, CheckStatus.WARN, Check.BINARIES, which + " was not read: "
              + outcome.unreadable() + "; its files are not judged");
        }
        continue;
      }
      Digest diffId = outcome.scan().diffId();
      if (i < diffIds.size() && !diffId.toString().equals(diffIds.get(i))) {
        c.fail(entry, Check.CONSISTENCY, which + " uncompresses to " + diffId + ", the config's rootfs.diff_ids["
            + i + "] says " + diffIds.get(i));
      }
      files.apply(outcome.scan(), i);
    }
    if (entry.row.result(Check.CONSISTENCY) == null) {
      entry.row.set(Check.CONSISTENCY, CheckStatus.PASS);
    }
    entry.row.detail(VerifyReport.plural(manifest.layers().size(), "layer") + ", " + Sizes.human(size));
    if (c.request.binaryCheck() == BinaryCheck.OFF) {
      entry.row.set(Check.BINARIES, CheckStatus.SKIP);
      return;
    }
    if (entry.platform == null) {
      entry.row.set(Check.BINARIES, CheckStatus.SKIP);
      return;
    }
    judge(entry, files, judgedAll, manifest);
  }

  private void judge(VerifiedImage entry, ImageFiles files, boolean judgedAll, ImageManifest manifest) {
    CheckStatus mismatchStatus = c.request.binaryCheck() == BinaryCheck.FAIL ? CheckStatus.FAIL : CheckStatus.WARN;
    int judged = 0;
    int mismatches = 0;
    int wrongOs = 0;
    int ignored = 0;
    List<String> compatible = new ArrayList<>();
    boolean windows = "windows".equals(entry.platform.os());
    for (Map.Entry<String, ImageFiles.Found> e : files.executables().entrySet()) {
      String containerPath = windows ? windowsContainerPath(e.getKey()) : e.getKey();
      if (containerPath == null) {
        continue; // Hives/, UtilityVM/: not the container's files
      }
      String path = EntryName.display(containerPath);
      if (c.request.binaryCheckIgnore().stream().anyMatch(g -> g.matches(path))) {
        ignored++;
        continue;
      }
      Executable executable = e.getValue().executable();
      Judgement judgement = ArchitectureJudge.judge(executable, entry.platform);
      int layer = e.getValue().layer();
      String where = "layer " + layer + " of " + manifest.layers().size() + ", "
          + VerifyContext.shortDigest(manifest.layers().get(layer).digest());
      switch (judgement.verdict()) {
        case MATCH -> judged++;
        case COMPATIBLE -> {
          judged++;
          compatible.add(path);
          if (compatible.size() <= MAX_LISTED) {
            c.report.add(entry.row, CheckStatus.WARN, Check.BINARIES, path + " is built for "
                + executable.architecture() + " (" + executable.describe() + "), expected "
                + entry.platform.architecture() + ": " + judgement.reason() + " (" + where + ")");
          }
        }
        case MISMATCH -> {
          judged++;
          mismatches++;
          if (mismatches + wrongOs <= MAX_LISTED) {
            c.report.add(entry.row, mismatchStatus, Check.BINARIES, path + " is built for "
                + executable.architecture() + " (" + executable.describe() + "), expected "
                + expectedArchitecture(entry.platform)
                + (judgement.reason() != null ? ": " + judgement.reason() : "") + " (" + where + ")");
          }
        }
        case WRONG_OS -> {
          judged++;
          wrongOs++;
          if (mismatches + wrongOs <= MAX_LISTED) {
            c.report.add(entry.row, mismatchStatus, Check.BINARIES, path + " is " + executable.describe()
                + ", which " + entry.platform + " cannot run: " + judgement.reason() + " (" + where + ")");
          }
        }
        case IGNORED -> {
          // not loadable, not for this OS, or architecture-independent
        }
        default -> throw new IllegalStateException();
      }
    }
    if (mismatches + wrongOs > MAX_LISTED) {
      c.report.add(entry.row, mismatchStatus, Check.BINARIES, "and " + (mismatches + wrongOs - MAX_LISTED)
          + " more files built for other " + (wrongOs == 0 ? "CPUs" : mismatches == 0 ? "systems"
          : "CPUs or systems"));
    }
    if (compatible.size() > MAX_LISTED) {
      c.report.add(entry.row, CheckStatus.WARN, Check.BINARIES, "and " + (compatible.size() - MAX_LISTED)
          + " more 32-bit files");
    }
    if (entry.row.result(Check.BINARIES) == null) {
      entry.row.set(Check.BINARIES, judgedAll ? CheckStatus.PASS : CheckStatus.WARN);
    }
    entry.row.detail(VerifyReport.plural(judged, "executable") + (mismatches > 0 ? " (" + mismatches
        + " for other CPUs" + (wrongOs > 0 ? ", " + wrongOs + " for other systems" : "") + ")"
        : wrongOs > 0 ? " (" + wrongOs + " for other systems)"
        : judged > 0 ? " for " + entry.platform.architecture() : "")
        + (ignored > 0 ? ", " + ignored + " ignored by binaryCheckIgnore" : ""));
  }

  /**
   * The container path of a Windows layer entry: {@code Files/app/greet.exe} → {@code app/greet.exe}; null for
   * what is not below {@code Files/} (matched with its case, as hcsshim's legacy layer writer,
   * {@code internal/wclayer/legacy.go} {@code hasPathPrefix}, does).
   */
  static String windowsContainerPath(String entryPath) {
    String prefix = "Files/";
    return entryPath.startsWith(prefix) && entryPath.length() > prefix.length()
        ? entryPath.substring(prefix.length()) : null;
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
    try (BlobInputStream in = c.source.blob(layer, "layer")) {
      if (!LayerReader.canRead(layer.mediaType())) {
        in.drain(); // its digest and size are still verified
        return new LayerOutcome(null, null, LayerReader.compression(layer.mediaType()) == null
            ? "media type " + layer.mediaType() + " is not a tar layer"
            : "media type " + layer.mediaType() + " needs zstd-jni, which is not on the plugin's class path",
            false);
      }
      boolean judge = c.request.binaryCheck() != BinaryCheck.OFF;
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
      c.log.debug(String.format(java.util.Locale.ROOT, "multiarch: read layer %s (%s, %d files) in %.1f s",
          layer.digest(), Sizes.human(layer.size()), scan.files(), (System.nanoTime() - start) / 1e9));
      return new LayerOutcome(scan, null, null, false);
    } catch (IOException | MultiarchException e) {
      boolean foreign = !layer.extraFields().path("urls").isMissingNode()
          || (layer.mediaType() != null && (layer.mediaType().contains("foreign")
          || layer.mediaType().contains("nondistributable")));
      boolean missing = e.getMessage() != null && e.getMessage().contains("missing");
      return new LayerOutcome(null, VerifyContext.describe(e), null, foreign && missing);
    }
  }
}
