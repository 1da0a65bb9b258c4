package io.github.multiarch.testing;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small multi-platform images built from scratch into OCI layouts with the real builder: a layer shared by
 * every platform, and one layer per platform whose file names the platform.
 */
public final class TestImages {
  public static final List<String> THREE_PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/arm/v7");

  private TestImages() {}

  /**
   * Builds into {@code dir/out} (layout in {@code dir/out/oci}) an image for {@code platforms}, tagged
   * {@code tag} in the layout; {@code seed} changes every layer's content, {@code randomBytes} > 0 adds
   * a layer of that many random (incompressible) bytes shared by every platform.
   */
  public static BuildResult build(Path dir, String tag, List<String> platforms, String seed, int randomBytes) {
    try {
      Path files = Files.createDirectories(dir.resolve("files"));
      Path shared = files.resolve("shared.txt");
      Files.writeString(shared, "shared by every platform, " + seed + "\n", StandardCharsets.UTF_8);
      List<LayerSpec> common = new ArrayList<>();
      common.add(new LayerSpec("shared", List.of(new LayerFile(shared, "/app/shared.txt", null))));
      if (randomBytes > 0) {
        byte[] random = new byte[randomBytes];
        new Random(seed.hashCode()).nextBytes(random);
        Path big = files.resolve("random.bin");
        Files.write(big, random);
        common.add(new LayerSpec("random", List.of(new LayerFile(big, "/app/random.bin", null))));
      }
      List<PlatformRequest> requests = new ArrayList<>();
      for (String p : platforms) {
        Platform platform = Platform.parse("platforms", p);
        Path own = files.resolve(platform.slug() + ".txt");
        Files.writeString(own, "only for " + platform + ", " + seed + "\n", StandardCharsets.UTF_8);
        requests.add(new PlatformRequest(platform, Map.of(), null,
            List.of(new LayerSpec("platform", List.of(new LayerFile(own, "/app/platform.txt", null))))));
      }
      BuildRequest request = new BuildRequest("registry.example.com/multiarch/test", List.of(tag), ImageFormat.OCI,
          "scratch", requests, common, ContainerSpec.empty(), Map.of(), Instant.parse("2026-01-01T00:00:00Z"),
          dir.resolve("out"), false, dir);
      return new MultiPlatformBuilder(EngineLog.NONE).build(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BuildResult build(Path dir, String tag, String seed) {
    return build(dir, tag, THREE_PLATFORMS, seed, 0);
  }
}
