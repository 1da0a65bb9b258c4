package io.github.multiarch.check;

import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.image.BlobInputStream;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The smoke run: each Linux platform's image, unpacked safely (no entry may leave the root), runs its
 * entrypoint (or the request's command), natively or under QEMU user emulation, and must exit 0 and, when
 * asked, print what is expected. Images that could not be read whole are skipped, and say so.
 */
final class SmokeCheck {
  private final SmokeRunner runner;

  SmokeCheck(SmokeRunner runner) {
    this.runner = runner;
  }

  void check(VerifyContext c) {
    for (VerifiedImage image : c.images) {
      smoke(c, image);
    }
  }

  private void smoke(VerifyContext c, VerifiedImage entry) {
    if (entry.row == null) {
      return;
    }
    if (entry.platform == null || !"linux".equals(entry.platform.os())) {
      c.report.add(entry.row, CheckStatus.SKIP, Check.SMOKE, null);
      entry.row.detail("smoke run: linux platforms only");
      return;
    }
    if (entry.manifest == null || entry.config == null || !entry.layersReadable) {
      c.report.add(entry.row, CheckStatus.SKIP, Check.SMOKE, null);
      entry.row.detail("smoke run skipped: the image could not be read whole");
      return;
    }
    VerifyRequest.Smoke options = c.request.smoke();
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
        try (BlobInputStream in = c.source.blob(layer, "layer")) {
          LayerReader.read(in, layer.mediaType(), unpacker);
        } catch (RootPath.EscapeException e) {
          c.fail(entry, Check.SMOKE, "unpacking refused layer " + i + " (" + VerifyContext.shortDigest(layer.digest()) + "): "
              + e.getMessage());
          return;
        }
      }
      List<String> command = options.command().isEmpty() ? invocation(entry.config) : options.command();
      SmokeRunner.Invocation invocation = new SmokeRunner.Invocation(command, entry.config.environment(),
          entry.config.workingDirectory());
      c.log.info("multiarch: smoke run of " + entry.platform + " (" + (runner.isNative(entry.platform) ? "native"
          : SmokeRunner.qemuProgram(entry.platform.architecture())) + "): " + String.join(" ", command));
      SmokeRunner.Result result = runner.run(rootfs, entry.platform, invocation, options.expect(),
          options.timeout());
      if (!result.output().isBlank()) {
        result.output().strip().lines().limit(20).forEach(l -> c.log.debug("multiarch:   | " + l));
      }
      if (result.passed()) {
        c.report.add(entry.row, CheckStatus.PASS, Check.SMOKE, null);
        entry.row.detail("smoke run " + result.summary());
      } else {
        c.fail(entry, Check.SMOKE, String.join(" ", command) + ": " + result.summary());
      }
    } catch (IOException | MultiarchException e) {
      c.fail(entry, Check.SMOKE, VerifyContext.describe(e));
    } finally {
      if (directory != null) {
        try {
          SafeUnpacker.deleteTree(directory);
        } catch (IOException e) {
          c.log.warn("multiarch: could not delete " + directory + ": " + e.getMessage());
        }
      }
    }
  }

  private List<String> invocation(ImageConfig config) {
    List<String> command = new ArrayList<>(config.entrypoint());
    command.addAll(config.cmd());
    return command;
  }
}
