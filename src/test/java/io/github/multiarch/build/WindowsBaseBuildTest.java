package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.check.BinaryCheck;
import io.github.multiarch.check.CheckStatus;
import io.github.multiarch.check.ImageContent;
import io.github.multiarch.check.ImageVerifier;
import io.github.multiarch.check.SmokeRunner;
import io.github.multiarch.check.VerifyReport;
import io.github.multiarch.check.VerifyRequest;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.PushResult;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import io.github.multiarch.testing.WindowsBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows containers on a Windows base, built on Linux: one image per os.version of the base, foreign layers
 * referred to and never fetched, copied or pushed.
 */
class WindowsBaseBuildTest {
  @TempDir
  static Path tmp;
  static WindowsBase.Written base;
  static TestRegistry registry;

  @BeforeAll
  static void writeBase() {
    base = WindowsBase.write(tmp.resolve("base"));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static synchronized TestRegistry registry() {
    if (registry == null) {
      registry = TestRegistry.builder("windows").allowForeignLayerUrls().start();
    }
    return registry;
  }

  static RegistryClient client() {
    return new RegistryClient(registry().host(), null,
        registry().options().withInsecureRegistries(Set.of(registry().host())), EngineLog.NONE);
  }

  private static BuildResult build(String from, ImageFormat format, List<PlatformRequest> platforms, String out,
      RegistryAccess access) throws Exception {
    Path exe = Files.writeString(tmp.resolve("app-windows-amd64.exe"), "MZ windows");
    Files.writeString(tmp.resolve("app-linux-amd64"), "linux");
    // one source for every os.version of windows/amd64: {platform} does not name the os.version
    LayerSpec app = new LayerSpec("app", List.of(new LayerFile(tmp.resolve("app-{platform}{exeSuffix}"),
        "/app/app{exeSuffix}", null)));
    return new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest("x/app", List.of("1"), format, from,
        platforms, List.of(app), ContainerSpec.empty(), Map.of(), Instant.EPOCH, tmp.resolve(out), false, tmp,
        access));
  }

  private static List<PlatformRequest> mixed() {
    return List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        PlatformRequest.of(Platform.parse("platforms", "windows/amd64")));
  }

  private static ImageIndex index(BuildResult result) {
    OciLayout layout = OciLayout.open(result.layout());
    return ImageIndex.parse(layout.readBlob(result.index(), OciJson.MAX_MANIFEST_BYTES), null, "index");
  }

  private static ImageManifest manifest(BuildResult result, Descriptor entry) {
    return ImageManifest.parse(OciLayout.open(result.layout()).readBlob(entry, OciJson.MAX_MANIFEST_BYTES), null,
        "manifest");
  }

  @Test
  void windowsAmd64BuildsOneImagePerOsVersionOfTheBase() throws Exception {
    BuildResult result = build(base.reference(), ImageFormat.DOCKER, mixed(), "mixed", null);
    ImageIndex index = index(result);
    assertEquals(3, index.manifests().size(), index.manifests().toString());
    assertEquals("linux/amd64", index.manifests().get(0).platform().describe());
    OciLayout layout = OciLayout.open(result.layout());
    for (int i = 0; i < 2; i++) {
      String version = WindowsBase.OS_VERSIONS.get(i);
      Descriptor entry = index.manifests().get(1 + i);
      assertEquals(Platform.of("p", "windows", "amd64", "", version, List.of()), entry.platform());
      ImageManifest manifest = manifest(result, entry);
      ImageConfig config = ImageConfig.parse(layout.readBlob(manifest.config(), 1 << 20), "config");
      assertEquals(version, config.platform().osVersion());
      // the foreign layer's descriptor as the base has it: media type, digest, size, urls
      Descriptor foreign = WindowsBase.foreignLayer(version);
      assertEquals(foreign.toJson(), manifest.layers().get(0).toJson());
      assertFalse(layout.hasBlob(foreign.digest()), "the layout must not hold the foreign layer");
      assertTrue(layout.hasBlob(manifest.layers().get(1).digest()), "the base's real layer is copied");
      assertEquals(manifest(result, index.manifests().get(1)).layers().get(2).digest(),
          manifest.layers().get(2).digest(), "one application layer for every os.version");
    }
    assertEquals(3, result.images().size());
    assertEquals("windows/amd64 (os.version 10.0.20348.2582)", result.images().get(2).platform().describe());
  }

  @Test
  void ociFormatKeepsTheForeignLayerWithAnOciNonDistributableTypeAndItsUrls() throws Exception {
    BuildResult result = build(base.reference(), ImageFormat.OCI,
        List.of(PlatformRequest.of(Platform.parse("platforms", "windows/amd64"))), "oci", null);
    Descriptor entry = index(result).manifests().get(0);
    Descriptor layer = manifest(result, entry).layers().get(0);
    Descriptor foreign = WindowsBase.foreignLayer(WindowsBase.OS_VERSIONS.get(0));
    assertEquals(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, layer.mediaType());
    assertEquals(foreign.withMediaType(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP).toJson(), layer.toJson());
  }

  @Test
  void osVersionsNarrowsTheImagesToTheListedBuilds() throws Exception {
    PlatformRequest windows = new PlatformRequest(Platform.parse("platforms", "windows/amd64"), Map.of(), null,
        List.of(), List.of("10.0.20348"));
    BuildResult result = build(base.reference(), ImageFormat.DOCKER,
        List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")), windows), "narrow", null);
    ImageIndex index = index(result);
    assertEquals(2, index.manifests().size());
    assertEquals("10.0.20348.2582", index.manifests().get(1).platform().osVersion());
  }

  @Test
  void osVersionsTheBaseLacksOrOnLinuxAreRefusedBeforeAnythingIsWritten() {
    PlatformRequest unknown = new PlatformRequest(Platform.parse("platforms", "windows/amd64"), Map.of(), null,
        List.of(), List.of("10.0.26100"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(base.reference(), ImageFormat.DOCKER, List.of(unknown), "bad1", null));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("10.0.26100") && e.getMessage().contains("10.0.17763.6054, 10.0.20348.2582"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bad1")));
    PlatformRequest linux = new PlatformRequest(Platform.parse("platforms", "linux/amd64"), Map.of(), null,
        List.of(), List.of("10.0.20348"));
    e = assertThrows(InvalidInputException.class,
        () -> build(base.reference(), ImageFormat.DOCKER, List.of(linux), "bad2", null));
    assertEquals("platforms", e.parameter());
    PlatformRequest malformed = new PlatformRequest(Platform.parse("platforms", "windows/amd64"), Map.of(), null,
        List.of(), List.of("ltsc2022"));
    e = assertThrows(InvalidInputException.class,
        () -> build(base.reference(), ImageFormat.DOCKER, List.of(malformed), "bad3", null));
    assertTrue(e.getMessage().contains("ltsc2022"), e.getMessage());
  }

  @Test
  void verifyNotesTheForeignLayersOnceAndPasses() throws Exception {
    BuildResult result = build(base.reference(), ImageFormat.DOCKER, mixed(), "verify", null);
    try (ImageContent content = ImageContent.of(new LayoutStore(OciLayout.open(result.layout())))) {
      List<VerifyReport> reports = new ImageVerifier(EngineLog.NONE, SmokeRunner.forHost()).verify(content,
          new VerifyRequest(List.of(), null, BinaryCheck.OFF, List.of(), null));
      VerifyReport report = reports.get(0);
      assertTrue(report.failures().isEmpty(), report.failures().toString());
      assertTrue(report.overall() != CheckStatus.FAIL, String.join("\n", report.table()));
      VerifyReport.Row row = report.row("windows/amd64 (os.version 10.0.20348.2582)");
      assertEquals(1, row.details().stream().filter(d -> d.contains("1 foreign layer (not distributable, fetched "
          + "by the node from their urls) not checked")).count(), row.details().toString());
    }
  }

  @Test
  void aRegistryBaseIsBuiltOnAndPushedWithoutItsForeignLayers() throws Exception {
    WindowsBase.Written pushed = WindowsBase.writeAndPush(tmp.resolve("pushed-base"), registry(), "windows/base");
    RegistryClient client = client();
    Descriptor foreign = pushed.foreignLayers().get(WindowsBase.OS_VERSIONS.get(1));
    assertFalse(client.blobExists("windows/base", foreign.digest()), "the base's registry has no foreign blob");
    Path cache = tmp.resolve("cache");
    BuildResult result = build(registry().host() + "/windows/base:" + WindowsBase.TAG, ImageFormat.DOCKER, mixed(),
        "registry", new RegistryAccess(r -> client(), cache, false, EngineLog.NONE));
    assertEquals(3, index(result).manifests().size());
    assertFalse(OciLayout.open(cache).hasBlob(foreign.digest()), "the cache must not hold the foreign layer");

    String target = registry().host() + "/windows/app";
    PushResult push = new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(result.layout(), null,
        ImageName.parse("image", target), List.of("1"), "{tag}-{platform}-{osVersion}", Map.of(), 2));
    assertFalse(client.blobExists("windows/app", foreign.digest()), "the foreign layer must not be pushed");
    assertEquals(List.of("1-windows-amd64-10.0.20348.2582"), push.platforms().get(2).tags());

    Tools.Result raw = Tools.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + target + ":1").check();
    ImageIndex read = ImageIndex.parse(raw.stdoutBytes(), null, "skopeo's index");
    assertEquals(3, read.manifests().size());
    Tools.Result windows = Tools.skopeo("inspect", "--tls-verify=false", "--override-os", "windows",
        "--override-arch", "amd64", "docker://" + target + ":1").check();
    assertTrue(windows.stdout().contains("\"Os\": \"windows\""), windows.stdout());
  }

  @Test
  void platformTagsThatCannotTellOsVersionsApartAreRefused() throws Exception {
    BuildResult result = build(base.reference(), ImageFormat.DOCKER, mixed(), "tags", null);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new LayoutPusher(client(),
        EngineLog.NONE).push(new PushRequest(result.layout(), null, ImageName.parse("image", registry().host()
        + "/windows/tags"), List.of("1"), "{tag}-{platform}", Map.of(), 2)));
    assertEquals("platformTags", e.parameter());
    assertTrue(e.getMessage().contains("{osVersion}"), e.getMessage());
  }

  @Test
  void allowNondistributableArtifactsFetchesForeignLayersFromTheirUrlsAndPushesThem(@TempDir Path dir)
      throws Exception {
    // a CDN of our own: serves each foreign layer at /<digest>, and counts what it served
    Map<String, byte[]> served = new java.util.HashMap<>();
    for (String version : WindowsBase.OS_VERSIONS) {
      byte[] content = WindowsBase.foreignContent(version);
      served.put("/" + Digest.sha256(content), content);
    }
    java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer cdn = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    cdn.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = served.get(exchange.getRequestURI().getPath());
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    cdn.start();
    try {
      String cdnHost = "127.0.0.1:" + cdn.getAddress().getPort();
      WindowsBase.Written obtainable = WindowsBase.write(dir.resolve("base"), "http://" + cdnHost + "/");
      BuildResult result = build(obtainable.reference(), ImageFormat.DOCKER, mixed(), "fetched", null);
      RegistryClient client = new RegistryClient(registry().host(), null, registry().options()
          .withInsecureRegistries(Set.of(registry().host(), cdnHost)), EngineLog.NONE);
      new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(result.layout(), null, ImageName.parse("image",
          registry().host() + "/windows/fetched"), List.of("1"), null, Map.of(), 2, null, List.of(registry().host())));
      for (String version : WindowsBase.OS_VERSIONS) {
        Digest foreign = obtainable.foreignLayers().get(version).digest();
        assertTrue(client.blobExists("windows/fetched", foreign), "the foreign layer of " + version + " was pushed");
      }
      assertEquals(2, requests.get(), "each foreign layer fetched once, from its url");
    } finally {
      cdn.stop(0);
    }
  }

  @Test
  void allowNondistributableArtifactsPushesForeignLayersAndSaysWhenTheyCannotBeHad() throws Exception {
    BuildResult result = build(base.reference(), ImageFormat.DOCKER, mixed(), "allow", null);
    RuntimeException e = assertThrows(RuntimeException.class, () -> new LayoutPusher(client(), EngineLog.NONE)
        .push(new PushRequest(result.layout(), null, ImageName.parse("image", registry().host() + "/windows/allow"),
            List.of("1"), null, Map.of(), 2, null, List.of(registry().host()))));
    assertTrue(e.getMessage().contains("allowNondistributableArtifacts")
        && e.getMessage().contains("https://mcr.microsoft.com/"), e.getMessage());
    assertTrue(client().headManifest("windows/allow", "1").isEmpty(), "nothing is tagged");
  }
}
