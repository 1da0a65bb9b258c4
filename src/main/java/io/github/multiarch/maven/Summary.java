package io.github.multiarch.maven;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.ImageFormat;
import java.util.Locale;
import org.apache.maven.plugin.logging.Log;

/** The tables goals print at the end: one line per platform, then the index. */
final class Summary {
  private Summary() {}

  static void logBuild(Log log, String repository, BuildResult result, ImageFormat format) {
    String kind = format == ImageFormat.OCI ? "OCI image index" : "Docker manifest list";
    log.info("multiarch: built " + (repository != null ? repository + " " : "") + kind + " into " + result.layout());
    String row = "  %-22s %-19s %-19s %6s %10s  %s";
    log.info(String.format(Locale.ROOT, row, "PLATFORM", "MANIFEST", "CONFIG", "LAYERS", "SIZE", "BASE"));
    for (BuildResult.PlatformImage image : result.images()) {
      log.info(String.format(Locale.ROOT, row, image.platform().describe(),
          "sha256:" + image.manifest().digest().shortHex(), "sha256:" + image.configDigest().shortHex(),
          image.layerCount(), humanSize(image.layersSize()), image.base()));
    }
    log.info(String.format(Locale.ROOT, "  %-22s %s  tags: %s", "index", result.index().digest(),
        String.join(", ", result.tags())));
  }

  static String humanSize(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
