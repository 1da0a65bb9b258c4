package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.image.LayoutCompletion;
import io.github.multiarch.index.CreateRequest;
import io.github.multiarch.index.ImageSource;
import io.github.multiarch.index.ImageSources;
import io.github.multiarch.index.IndexCreator;
import io.github.multiarch.index.SourceSpec;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistriesConf;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base images read through a mirror: a second distribution 2.8 registry run as a pull-through cache
 * ({@code proxy.remoteurl}) of the one that holds the base. What the plugin asked for is told apart in the access logs
 * by its User-Agent (the JDK's {@code Java-http-client}): the cache's own requests to the origin carry Go's.
 */
class MirrorBaseTest {
  private static final String PLUGIN_AGENT = "\"Java-http-client/";

  @TempDir
  static Path tmp;
  static TestRegistry origin;
  static TestRegistry mirror;
  static BuildResult base;
  static String baseRef;
  static BuildResult direct;
  /** Every blob (configs and layers) of the base's amd64 and arm64 images. */
  static Set<Digest> baseBlobs = new LinkedHashSet<>();

  @BeforeAll
  static void start() throws Exception {
    origin = TestRegistry.builder("mirror-origin").accessLog().start();
    base = TestImages.build(tmp.resolve("base"), "1", List.of("linux/amd64", "linux/arm64"), "mirrored-base", 100_000);
    new LayoutPusher(new RegistryClient(origin.host(), null, origin.options(), EngineLog.NONE), EngineLog.NONE)
        .push(new PushRequest(base.layout(), null, ImageName.parse("image", origin.host() + "/base/app"), List.of("1"),
            null, Map.of(), 2));
    baseRef = origin.host() + "/base/app:1";
    OciLayout layout = OciLayout.open(base.layout());
    for (BuildResult.PlatformImage image : base.images()) {
      ImageManifest manifest = ImageManifest.parse(layout.readBlob(image.manifest(), OciJson.MAX_MANIFEST_BYTES),
          image.manifest().mediaType(), "base");
      baseBlobs.add(manifest.config().digest());
      manifest.layers().forEach(l -> baseBlobs.add(l.digest()));
    }
    mirror = TestRegistry.builder("mirror-cache").accessLog().proxyOf(origin.baseUrl()).start();
    direct = build("direct", baseRef, RegistryMirrors.none(), Set.of(origin.host()), new CollectingLog());
  }

  @AfterAll
  static void stop() {
    if (mirror != null) {
      mirror.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  /** A build of both platforms on {@code from}, with a cache of its own (so every base blob is fetched). */
  static BuildResult build(String out, String from, RegistryMirrors mirrors, Set<String> insecure, EngineLog log)
      throws IOException {
    return build(out, from, mirrors, host -> new RegistryClient(host, null,
        origin.options().withInsecureRegistries(union(insecure, mirrors.insecureHosts())), log), log);
  }

  static BuildResult build(String out, String from, RegistryMirrors mirrors, Function<String, RegistryClient> clients,
      EngineLog log) throws IOException {
    return build(out, from, mirrors, clients, log, false);
  }

  /** As above; with {@code deferLayers}, the base layers are left in their registry (baseLayers=defer). */
  static BuildResult build(String out, String from, RegistryMirrors mirrors, Function<String, RegistryClient> clients,
      EngineLog log, boolean deferLayers) throws IOException {
    Path file = Files.writeString(tmp.resolve("app.txt"), "app");
    return new MultiPlatformBuilder(log).build(new BuildRequest("x/app", List.of("1"), ImageFormat.OCI, from,
        List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
            PlatformRequest.of(Platform.parse("platforms", "linux/arm64"))),
        List.of(new LayerSpec("app", List.of(new LayerFile(file, "/app.txt", null)))), ContainerSpec.empty(),
        Map.of(), Instant.EPOCH, tmp.resolve(out), false, tmp,
        new RegistryAccess(clients, tmp.resolve("cache-" + out), false, log, mirrors, deferLayers)));
  }

  /** A registries.conf ({@code file} under the test's folder) that blocks the origin and gives the mirror instead. */
  private static RegistryMirrors originBlockedBehindTheMirror(String file) throws IOException {
    Path conf = Files.writeString(tmp.resolve(file), """
        [[registry]]
        location = "%s"
        blocked = true
        [[registry.mirror]]
        location = "%s"
        insecure = true
        """.formatted(origin.host(), mirror.host()));
    return RegistryMirrors.of(Map.of(), "registryMirrors",
        () -> RegistriesConf.load(Map.of(RegistriesConf.ENV, conf.toString()), tmp, EngineLog.NONE));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** What the registry logged from {@code mark} on. */
  private static String since(TestRegistry registry, int mark) {
    return registry.log().substring(mark);
  }

  private static void assertSameImage(BuildResult result) throws IOException {
    assertEquals(direct.index().digest(), result.index().digest());
    assertArrayEquals(Files.readAllBytes(OciLayout.open(direct.layout()).blobPath(direct.index().digest())),
        Files.readAllBytes(OciLayout.open(result.layout()).blobPath(result.index().digest())));
  }

  /** Every base blob went through the mirror, and the plugin asked the origin nothing. */
  private static void assertAllThroughMirror(int mirrorMark, int originMark) {
    String mirrorLog = since(mirror, mirrorMark);
    for (Digest blob : baseBlobs) {
      assertTrue(mirrorLog.lines().anyMatch(l -> l.contains("GET /v2/base/app/blobs/" + blob) && l.contains(" 200 ")
          && l.contains(PLUGIN_AGENT)), "the mirror did not serve " + blob + " to the plugin:\n" + mirrorLog);
    }
    String originLog = since(origin, originMark);
    assertFalse(originLog.contains(PLUGIN_AGENT), "the plugin asked the origin:\n" + originLog);
  }

  @Test
  void aPomMirrorServesEveryBaseBlobAndTheImageIsTheSame() throws Exception {
    int mirrorMark = mirror.log().length();
    int originMark = origin.log().length();
    CollectingLog log = new CollectingLog();
    RegistryMirrors mirrors = RegistryMirrors.of(Map.of(origin.host(), List.of(mirror.host())), "registryMirrors",
        (RegistriesConf) null);

    BuildResult result = build("pom", baseRef, mirrors, Set.of(origin.host(), mirror.host()), log);

    assertSameImage(result);
    assertAllThroughMirror(mirrorMark, originMark);
    assertTrue(log.text().contains("INFO multiarch: " + origin.host() + "/base/app is read through mirror "
        + mirror.host() + "/base/app"), log.text());
    assertTrue(log.text().contains("DEBUG multiarch: blob " + baseBlobs.iterator().next() + " of " + origin.host()
        + "/base/app from " + mirror.host() + "/base/app"), "-X names the host of each blob:\n" + log.text());
    result.images().forEach(image -> assertTrue(image.base().endsWith(" via mirror " + mirror.host() + "/base/app"),
        "the summary's BASE column: " + image.base()));
    result.images().forEach(image -> assertEquals(origin.host() + "/base/app", image.baseRepository(),
        "layers are still mounted from the registry itself on push"));
  }

  @Test
  void aRegistriesConfMirrorServesEveryBaseBlobAndItsInsecureOptsInPlainHttp() throws Exception {
    Path conf = Files.writeString(tmp.resolve("registries.conf"), """
        [[registry]]
        location = "%s"
        insecure = true

        [[registry.mirror]]
        location = "%s"
        insecure = true
        """.formatted(origin.host(), mirror.host()));
    CollectingLog log = new CollectingLog();
    RegistryMirrors mirrors = RegistryMirrors.of(Map.of(), "registryMirrors",
        () -> RegistriesConf.load(Map.of(RegistriesConf.ENV, conf.toString()), tmp, log));
    int mirrorMark = mirror.log().length();
    int originMark = origin.log().length();

    BuildResult result = build("conf", baseRef, mirrors, Set.of(), log);

    assertSameImage(result);
    assertAllThroughMirror(mirrorMark, originMark);
    assertEquals(Set.of(origin.host(), mirror.host()), mirrors.insecureHosts());
  }

  @Test
  void aMirrorThatIsDownOrLacksTheImageIsPassedOverAndSaidSo() throws Exception {
    String down = "127.0.0.1:" + freePort();
    try (TestRegistry empty = TestRegistry.builder("mirror-empty").start()) {
      CollectingLog log = new CollectingLog();
      RegistryMirrors mirrors = RegistryMirrors.of(Map.of(origin.host(), List.of(down, empty.host())),
          "registryMirrors", (RegistriesConf) null);
      int originMark = origin.log().length();

      BuildResult result = build("down", baseRef, mirrors, Set.of(origin.host(), down, empty.host()), log);

      assertSameImage(result);
      assertTrue(log.text().contains("INFO multiarch: mirror " + down + "/base/app unavailable (")
          && log.text().contains("trying mirror " + empty.host() + "/base/app"), log.text());
      assertTrue(log.text().contains("INFO multiarch: mirror " + empty.host() + "/base/app does not have manifest 1; "
          + "trying " + origin.host() + "/base/app"), log.text());
      String originLog = since(origin, originMark);
      for (Digest blob : baseBlobs) {
        assertTrue(originLog.lines().anyMatch(l -> l.contains("/blobs/" + blob) && l.contains(PLUGIN_AGENT)),
            "the origin did not serve " + blob + ":\n" + originLog);
      }
      result.images().forEach(image -> assertFalse(image.base().contains("via mirror"), image.base()));
    }
  }

  @Test
  void aMirrorAnswering503ForBlobsAfterServingTheManifestsIsPassedOverForThem() throws Exception {
    try (StubProxy failing = StubProxy.start(mirror.baseUrl())) {
      failing.rule((request, registry) -> request.method().equals("GET") && request.path().contains("/blobs/")
          ? StubProxy.Response.of(503, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"cache backend down\"}]}")
          : registry.forward(request));
      CollectingLog log = new CollectingLog();
      RegistryMirrors mirrors = RegistryMirrors.of(Map.of(origin.host(), List.of(failing.host())), "registryMirrors",
          (RegistriesConf) null);
      int originMark = origin.log().length();

      assertSameImage(build("mirror-503", baseRef, mirrors, Set.of(origin.host(), failing.host()), log));

      assertTrue(log.text().contains("INFO multiarch: mirror " + failing.host() + "/base/app unavailable (")
          && log.text().contains("answered 503") && log.text().contains("trying " + origin.host() + "/base/app"),
          log.text());
      assertTrue(since(origin, originMark).lines().anyMatch(l -> l.contains("/blobs/") && l.contains(PLUGIN_AGENT)),
          "the blobs came from the origin");
      assertTrue(failing.requests().stream().anyMatch(r -> r.path().contains("/manifests/")),
          "the manifests came from the mirror");
    }
  }

  @Test
  void withTheOriginDownOrBlockedTheMirrorAloneServesTheBuild() throws Exception {
    // the cache holds the base once it served it
    RegistryMirrors pom = RegistryMirrors.of(Map.of(origin.host(), List.of(mirror.host())), "registryMirrors",
        (RegistriesConf) null);
    build("warm", baseRef, pom, Set.of(origin.host(), mirror.host()), new CollectingLog());
    String pinned = origin.host() + "/base/app@" + base.index().digest();
    origin.kill();
    try {
      assertSameImage(build("origin-down", pinned, pom, Set.of(origin.host(), mirror.host()), new CollectingLog()));
    } finally {
      origin.restart();
    }

    RegistryMirrors blocked = originBlockedBehindTheMirror("blocked.conf");
    int originMark = origin.log().length();
    assertSameImage(build("blocked", baseRef, blocked, Set.of(origin.host()), new CollectingLog()));
    assertFalse(since(origin, originMark).contains(PLUGIN_AGENT), since(origin, originMark));

    Path noMirror = Files.writeString(tmp.resolve("blocked-only.conf"), """
        [[registry]]
        location = "%s"
        blocked = true
        """.formatted(origin.host()));
    RegistryMirrors refused = RegistryMirrors.of(Map.of(), "registryMirrors",
        () -> RegistriesConf.load(Map.of(RegistriesConf.ENV, noMirror.toString()), tmp, EngineLog.NONE));
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> build("refused", baseRef, refused, Set.of(origin.host()), new CollectingLog()));
    assertTrue(e.getMessage().contains("is blocked (" + noMirror + ", line 1)"), e.getMessage());
  }

  @Test
  void baseLayersLeftInTheirRegistryAreFetchedThroughTheMirrorWhenTheLayoutIsCompleted() throws Exception {
    RegistryMirrors blocked = originBlockedBehindTheMirror("blocked-deferred.conf");
    Function<String, RegistryClient> clients = host -> new RegistryClient(host, null,
        origin.options().withInsecureRegistries(union(Set.of(origin.host()), blocked.insecureHosts())), EngineLog.NONE);
    int originMark = origin.log().length();
    BuildResult deferred = build("deferred", baseRef, blocked, clients, EngineLog.NONE, true);
    OciLayout layout = OciLayout.open(deferred.layout());
    assertFalse(DeferredBlobs.missing(layout).isEmpty(), "the build left the base layers in their registry");
    int mirrorMark = mirror.log().length();

    // a reader completes the layout first: through the mirror, since the origin is blocked
    LayoutCompletion.complete(layout, clients, blocked, false, EngineLog.NONE);

    assertTrue(DeferredBlobs.missing(layout).isEmpty());
    assertFalse(since(origin, originMark).contains(PLUGIN_AGENT), "the blocked origin was asked:\n"
        + since(origin, originMark));
    String mirrorLog = since(mirror, mirrorMark);
    assertTrue(mirrorLog.contains(PLUGIN_AGENT) && mirrorLog.contains("/blobs/sha256:"), mirrorLog);
    assertSameImage(deferred);
  }

  @Test
  void theMirrorGetsItsOwnCredentialsAndTheOriginIsNotEvenAskedFor() throws Exception {
    try (TestRegistry locked = TestRegistry.builder("mirror-locked").basicAuth("mirror-user", "mirror-secret-3d9")
        .accessLog().proxyOf(origin.baseUrl()).start()) {
      List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
      Function<String, RegistryClient> clients = host -> {
        asked.add(host); // where the goals look credentials up: the host actually contacted
        return new RegistryClient(host, host.equals(locked.host()) ? locked.credential("test") : null,
            origin.options().withInsecureRegistries(Set.of(origin.host(), locked.host())), EngineLog.NONE);
      };
      RegistryMirrors mirrors = RegistryMirrors.of(Map.of(origin.host(), List.of(locked.host())), "registryMirrors",
          (RegistriesConf) null);

      assertSameImage(build("locked", baseRef, mirrors, clients, new CollectingLog()));

      assertEquals(List.of(locked.host()), asked);
      // the mirror needs a login (htpasswd): a blob it served is one it served to its user
      assertTrue(locked.log().lines().anyMatch(l -> l.contains("GET /v2/base/app/blobs/") && l.contains(" 200 ")),
          "the mirror served no blob:\n" + locked.log());
    }
  }

  @Test
  void createReadsItsSourceThroughTheMirrorAndPushesToTheTarget() throws Exception {
    try (TestRegistry target = TestRegistry.builder("mirror-target").start()) {
      RegistryMirrors mirrors = RegistryMirrors.of(Map.of(origin.host(), List.of(mirror.host())), "registryMirrors",
          (RegistriesConf) null);
      Set<String> insecure = Set.of(origin.host(), mirror.host(), target.host());
      Function<String, RegistryClient> clients = host -> new RegistryClient(host, null,
          origin.options().withInsecureRegistries(insecure), EngineLog.NONE);
      int mirrorMark = mirror.log().length();
      int originMark = origin.log().length();
      List<SourceSpec> specs = List.of(SourceSpec.of(baseRef));
      List<ImageSource> sources = new ArrayList<>();
      for (SourceSpec spec : specs) {
        sources.add(ImageSources.parse("sources", spec.reference(), tmp, tmp.resolve("create-work"), clients,
            mirrors, EngineLog.NONE));
      }
      IndexCreator.Result result = new IndexCreator(clients.apply(target.host()), EngineLog.NONE).create(
          new CreateRequest(ImageName.parse("image", target.host() + "/created/app"), List.of("1"), specs,
              ImageFormat.OCI, false, false, List.of(), Map.of()), sources);

      assertEquals(base.images().stream().map(i -> i.manifest().digest()).toList(),
          result.entries().stream().map(Descriptor::digest).toList());
      assertAllThroughMirror(mirrorMark, originMark);
      assertTrue(clients.apply(target.host()).getManifest("created/app", "1").isPresent(), "pushed to the target");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
