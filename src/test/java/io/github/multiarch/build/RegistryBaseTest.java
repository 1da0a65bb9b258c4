package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry base images: only what the chosen platforms need is fetched, verified, kept in the cache, and an
 * offline build works from the cache alone.
 */
class RegistryBaseTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static String baseRef;
  static BuildResult base;

  @BeforeAll
  static void pushBase() {
    registry = TestRegistry.builder("bases").start();
    base = TestImages.build(tmp.resolve("base"), "1", List.of("linux/amd64", "linux/arm64", "linux/arm/v7"), "base",
        200_000);
    new LayoutPusher(client(registry.host()), EngineLog.NONE).push(new PushRequest(base.layout(), null,
        ImageName.parse("image", registry.host() + "/base/app"), List.of("1"), null, Map.of(), 2));
    baseRef = registry.host() + "/base/app:1";
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static RegistryClient client(String host) {
    return new RegistryClient(host, null, registry.options().withInsecureRegistries(java.util.Set.of(host)),
        EngineLog.NONE);
  }

  private BuildResult build(String from, Path cache, boolean offline, List<String> platforms, String out,
      java.util.function.Function<String, RegistryClient> clients) throws Exception {
    return build(from, cache, offline, platforms, out, clients, EngineLog.NONE);
  }

  private BuildResult build(String from, Path cache, boolean offline, List<String> platforms, String out,
      java.util.function.Function<String, RegistryClient> clients, EngineLog log) throws Exception {
    Path file = Files.writeString(tmp.resolve("app.txt"), "app");
    return new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest("x/app", List.of("1"), ImageFormat.OCI, from,
        platforms.stream().map(p -> PlatformRequest.of(Platform.parse("platforms", p))).toList(),
        List.of(new LayerSpec("app", List.of(new LayerFile(file, "/app.txt", null)))), ContainerSpec.empty(),
        Map.of(), Instant.EPOCH, tmp.resolve(out), false, tmp, new RegistryAccess(clients, cache, offline, log)));
  }

  @Test
  void aCorruptBlobInTheCacheIsDroppedWithAWarningAndFetchedAgain() throws Exception {
    Path cache = tmp.resolve("cache-corrupt");
    BuildResult first = build(baseRef, cache, false, List.of("linux/amd64"), "corrupt-1", host -> client(host));
    Digest baseLayer = first.images().get(0).baseLayers().get(0);
    Path cached = OciLayout.open(cache).blobPath(baseLayer);
    assertTrue(io.github.multiarch.layout.KnownDigests.in(cache).holds(cached, baseLayer),
        "checked while downloaded: the next build need not read it again");
    byte[] bytes = Files.readAllBytes(cached);
    bytes[bytes.length / 2] ^= 0x01; // one bit: the same size, another digest
    java.nio.file.attribute.FileTime downloaded = Files.getLastModifiedTime(cached);
    Files.write(cached, bytes);
    // a write gives a new modification time, and the record no longer vouches for the file; said outright here,
    // since the kernel's file clock ticks in milliseconds
    Files.setLastModifiedTime(cached, java.nio.file.attribute.FileTime.fromMillis(downloaded.toMillis() + 1000));

    // offline, it cannot be fetched again: the build stops, naming the file and both digests
    InvalidInputException offline = assertThrows(InvalidInputException.class, () -> build(baseRef, cache, true,
        List.of("linux/amd64"), "corrupt-offline", host -> client(host)));
    assertEquals("from", offline.parameter());
    assertTrue(offline.getMessage().contains(cached + " is corrupt: expected " + baseLayer), offline.getMessage());
    assertTrue(offline.getMessage().contains("found sha256:"), offline.getMessage());
    assertTrue(offline.getMessage().contains("the build is offline"), offline.getMessage());

    io.github.multiarch.testing.CollectingLog log = new io.github.multiarch.testing.CollectingLog();
    BuildResult again = build(baseRef, cache, false, List.of("linux/amd64"), "corrupt-2", host -> client(host), log);
    assertEquals(first.index().digest(), again.index().digest(), "the same image, from the base fetched again");
    OciLayout.open(cache).verifyBlob(baseLayer, bytes.length); // repaired in the cache
    assertTrue(log.text().contains("WARN multiarch: base image " + baseRef + ": blob " + cached + " is corrupt")
        && log.text().contains("fetching it again"), log.text());
  }

  @Test
  void fetchesOnlyWhatTheChosenPlatformsNeedThenBuildsOfflineFromTheCache() throws Exception {
    Path cache = tmp.resolve("cache1");
    AtomicInteger blobGets = new AtomicInteger();
    try (StubProxy stub = StubProxy.start(registry.baseUrl())) {
      stub.rule((request, forwarder) -> {
        if (request.method().equals("GET") && request.path().contains("/blobs/")) {
          blobGets.incrementAndGet();
        }
        return forwarder.forward(request);
      });
      String viaStub = stub.host() + "/base/app:1";
      BuildResult online = build(viaStub, cache, false, List.of("linux/arm64"), "online",
          host -> client(host));
      // config + shared layer + random layer + the arm64 layer: 4 blobs, none of the other platforms'
      assertEquals(4, blobGets.get(), "only the arm64 image's blobs are fetched");
      BuildResult.PlatformImage image = online.images().get(0);
      assertEquals(stub.host() + "/base/app", image.baseRepository());
      Descriptor baseArm = base.images().get(1).manifest();
      ImageManifest baseManifest = ImageManifest.parse(OciLayout.open(base.layout()).readBlob(baseArm,
          OciJson.MAX_MANIFEST_BYTES), baseArm.mediaType(), "base");
      assertEquals(baseManifest.layers().stream().map(Descriptor::digest).toList(), image.baseLayers());
      assertTrue(Files.readString(online.metadata()).contains("\"baseRepository\""));

      // offline: no request at all, same result
      blobGets.set(0);
      stub.rule((request, forwarder) -> {
        throw new AssertionError("an offline build made a request: " + request);
      });
      BuildResult offline = build(viaStub, cache, true, List.of("linux/arm64"), "offline", host -> {
        throw new AssertionError("an offline build asked for a client");
      });
      assertEquals(online.index().digest(), offline.index().digest());
    }
  }

  @Test
  void aTagIsAskedForOnceHoweverManyPlatformsAreBuiltOnIt() throws Exception {
    AtomicInteger tagGets = new AtomicInteger();
    try (StubProxy stub = StubProxy.start(registry.baseUrl())) {
      stub.rule((request, forwarder) -> {
        if (request.method().equals("GET") && request.path().endsWith("/manifests/1")) {
          tagGets.incrementAndGet();
        }
        return forwarder.forward(request);
      });
      build(stub.host() + "/base/app:1", tmp.resolve("cache-once"), false, List.of("linux/amd64", "linux/arm64",
          "linux/arm/v7"), "once", host -> client(host));
    }
    assertEquals(1, tagGets.get(), "the tag's index is resolved once for all three platforms");
  }

  @Test
  void offlineWithoutTheBaseInTheCacheSaysSo() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> build(baseRef, tmp.resolve("empty"),
        true, List.of("linux/amd64"), "never", host -> client(host)));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("not in the cache") && e.getMessage().contains("offline"), e.getMessage());
  }

  @Test
  void aMissingBaseOrPlatformIsAnInputError() {
    InvalidInputException missing = assertThrows(InvalidInputException.class, () -> build(
        registry.host() + "/base/app:nope", tmp.resolve("cache2"), false, List.of("linux/amd64"), "x1",
        host -> client(host)));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    InvalidInputException platform = assertThrows(InvalidInputException.class, () -> build(baseRef,
        tmp.resolve("cache3"), false, List.of("linux/s390x"), "x2", host -> client(host)));
    assertTrue(platform.getMessage().contains("has no image for linux/s390x"), platform.getMessage());
    assertTrue(platform.getMessage().contains("linux/arm/v7"), platform.getMessage());
  }
}
