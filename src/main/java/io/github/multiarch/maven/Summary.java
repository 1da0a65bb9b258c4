package io.github.multiarch.maven;

import io.github.multiarch.Sizes;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.maven.plugin.logging.Log;

/** The tables goals print at the end: one line per platform, then the index. */
final class Summary {
  private Summary() {}

  static void logBuild(Log log, String repository, BuildResult result, ImageFormat format) {
    String kind = format == ImageFormat.OCI ? "OCI image index" : "Docker manifest list";
    log.info("multiarch: built " + (repository != null ? repository + " " : "") + kind + " into " + result.layout());
    // a Windows image per os.version reads "windows/amd64 (os.version 10.0.20348.2582)", as verify names it
    int platformWidth = Math.max(22, result.images().stream().mapToInt(i -> i.platform().describe().length())
        .max().orElse(0));
    String row = "  %-" + platformWidth + "s %-19s %-19s %6s %10s  %s";
    log.info(String.format(Locale.ROOT, row, "PLATFORM", "MANIFEST", "CONFIG", "LAYERS", "SIZE", "BASE"));
    for (BuildResult.PlatformImage image : result.images()) {
      log.info(String.format(Locale.ROOT, row, image.platform().describe(),
          "sha256:" + image.manifest().digest().shortHex(), "sha256:" + image.configDigest().shortHex(),
          image.layerCount(), Sizes.human(image.layersSize()), image.base()));
    }
    log.info(String.format(Locale.ROOT, "  %-" + platformWidth + "s %s  tags: %s", "index", result.index().digest(),
        String.join(", ", result.tags())));
  }

  /** The entries of an index that {@code annotate} wrote: platform, digest, media type, annotations. */
  static void logEntries(Log log, List<Descriptor> entries) {
    int platformWidth = Math.max(26, entries.stream()
        .mapToInt(e -> e.platform() == null ? 1 : e.platform().describe().length()).max().orElse(0));
    String row = "  %-" + platformWidth + "s %-19s %-46s %s";
    log.info(String.format(Locale.ROOT, row, "PLATFORM", "MANIFEST", "MEDIA TYPE", "ANNOTATIONS"));
    for (Descriptor entry : entries) {
      String annotations = new TreeMap<>(entry.annotations()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", "));
      log.info(String.format(Locale.ROOT, row, entry.platform() == null ? "-" : entry.platform().describe(),
          "sha256:" + entry.digest().shortHex(), entry.mediaType(), annotations.isEmpty() ? "-" : annotations));
    }
  }

}
