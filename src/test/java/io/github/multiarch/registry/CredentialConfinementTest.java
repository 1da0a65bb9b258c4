package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.build.RegistryAccess;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.TokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials stay with the registry, and content from it is believed only by its digest: no
 * {@code Authorization} to a host a blob download redirects to or an upload {@code Location} names, no redirect
 * to plain HTTP that was not opted in, no token request to a plain-HTTP realm, and tampered blob bytes refused
 * (by the client, and by a build on a registry base, which then caches nothing). Two stubs in front of a real
 * registry with basic auth: "registry" (what the client talks to) and "storage" (another loopback port,
 * standing in for blob storage with signed URLs: it adds the credentials itself when forwarding).
 */
class CredentialConfinementTest {
  static final String USER = "carol";
  static final String PASSWORD = "Car0ls-Pw-x81q";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy front;
  static StubProxy storage;
  static BuildResult built;
  static String basic;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("confinement").tls().basicAuth(USER, PASSWORD).start();
    front = StubProxy.start(registry.baseUrl());
    storage = StubProxy.start(registry.baseUrl());
    basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    // storage serves signed URLs: it needs no Authorization from the client, it adds its own upstream
    storage.rule((request, forwarder) -> forwarder.forward(withHeader(request, "Authorization", basic)));
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm64"), "confinement", 0);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {front, storage, registry}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  static StubProxy.Request withHeader(StubProxy.Request request, String name, String value) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(request.headers());
    headers.put(name, List.of(value));
    return new StubProxy.Request(request.method(), request.path(), request.rawQuery(), headers, request.body());
  }

  /** A client of the front stub (plain HTTP to it opted in, and to {@code alsoInsecure}) with the right credential. */
  static RegistryClient client(String... alsoInsecure) {
    Set<String> insecure = new java.util.HashSet<>(List.of(front.host()));
    insecure.addAll(List.of(alsoInsecure));
    return new RegistryClient(front.host(), new Credential(USER, PASSWORD, "test"),
        registry.options().withInsecureRegistries(insecure), new CollectingLog());
  }

  static RegistryClient direct() {
    return new RegistryClient(registry.host(), registry.credential("test"), registry.options(), new CollectingLog());
  }

  static Descriptor firstLayer(BuildResult image) {
    OciLayout layout = OciLayout.open(image.layout());
    Descriptor manifest = image.images().get(0).manifest();
    return ImageManifest.parse(layout.readBlob(manifest, OciJson.MAX_MANIFEST_BYTES), manifest.mediaType(), "m")
        .layers().get(0);
  }

  static void pushDirect(BuildResult image, String repository) {
    new LayoutPusher(direct(), EngineLog.NONE).push(new PushRequest(image.layout(), null,
        ImageName.parse("image", registry.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
  }

  // ---------------------------------------------------------------------------------------- redirects

  @Test
  void aBlobDownloadRedirectedToAnotherHostGoesThereWithoutAuthorization() throws Exception {
    String repository = "multiarch-test/redirected";
    pushDirect(built, repository);
    Descriptor layer = firstLayer(built);
    front.clear();
    storage.clear();
    front.rule((request, forwarder) -> request.method().equals("GET") && request.path().contains("/blobs/sha256:")
        ? StubProxy.Response.of(307, "", "Location", "http://" + storage.host() + request.path() + "?sig=abc")
        : forwarder.forward(request));
    try {
      Path target = tmp.resolve("redirected.blob");
      client(storage.host()).fetchBlob(repository, layer.digest(), target);
      assertArrayEquals(Files.readAllBytes(OciLayout.open(built.layout()).blobPath(layer.digest())),
          Files.readAllBytes(target));

      List<StubProxy.Request> atRegistry = front.requests().stream()
          .filter(r -> r.path().contains("/blobs/")).toList();
      assertEquals(1, atRegistry.size(), atRegistry.toString());
      assertEquals(basic, atRegistry.get(0).header("Authorization"), "the registry itself gets the credentials");
      List<StubProxy.Request> atStorage = storage.requests();
      assertEquals(1, atStorage.size(), "the redirect was followed: " + atStorage);
      assertNull(atStorage.get(0).header("Authorization"), "Authorization was sent to the redirected host");

      // storage over plain HTTP that was not opted in: not followed at all
      storage.clear();
      Path refusedTarget = tmp.resolve("refused.blob");
      RegistryException e = assertThrows(RegistryException.class,
          () -> client().fetchBlob(repository, layer.digest(), refusedTarget));
      assertTrue(e.getMessage().contains("refused a redirect to plain HTTP " + storage.host()), e.getMessage());
      assertTrue(storage.requests().isEmpty(), "nothing went to the plain-HTTP host");
      assertFalse(Files.exists(refusedTarget));
    } finally {
      front.rule(StubProxy.PASS_THROUGH);
    }
  }

  @Test
  void optingARegistryOutOfTlsVerificationDoesNotOptOutTheHostsItRedirectsTo() {
    String repository = "multiarch-test/redirected-tls";
    pushDirect(built, repository);
    Descriptor layer = firstLayer(built);
    // the "storage" is the TLS registry itself, whose self-signed certificate nobody here trusts
    front.rule((request, forwarder) -> request.method().equals("GET") && request.path().contains("/blobs/sha256:")
        ? StubProxy.Response.of(307, "", "Location", registry.baseUrl() + request.path())
        : forwarder.forward(request));
    try {
      RegistryOptions noCa = registry.options().withCaCertificates(List.of());
      RegistryClient optedOut = new RegistryClient(front.host(), new Credential(USER, PASSWORD, "test"),
          noCa.withInsecureRegistries(Set.of(front.host())), new CollectingLog());
      RegistryException e = assertThrows(RegistryException.class,
          () -> optedOut.fetchBlob(repository, layer.digest(), tmp.resolve("unverified.blob")));
      assertEquals(-1, e.status(), "the TLS handshake with the storage host must fail: " + e.getMessage());
      assertFalse(e.getMessage().contains("401"), e.getMessage());

      // with the storage host opted out as well, the handshake is accepted (and the storage, which wants
      // credentials that are not sent to it, answers 401)
      RegistryClient bothOptedOut = new RegistryClient(front.host(), new Credential(USER, PASSWORD, "test"),
          noCa.withInsecureRegistries(Set.of(front.host(), registry.host())), new CollectingLog());
      RegistryException e2 = assertThrows(RegistryException.class,
          () -> bothOptedOut.fetchBlob(repository, layer.digest(), tmp.resolve("unverified2.blob")));
      assertEquals(401, e2.status(), e2.getMessage());
    } finally {
      front.rule(StubProxy.PASS_THROUGH);
    }
  }

  @Test
  void anUploadLocationOnAnotherHostGetsNoAuthorization() {
    String repository = "multiarch-test/upload-elsewhere";
    front.clear();
    storage.clear();
    // the registry hands out upload sessions on the storage host
    front.rule((request, forwarder) -> {
      StubProxy.Response response = forwarder.forward(request);
      String location = response.header("Location");
      if (request.method().equals("POST") && location != null && location.contains("/blobs/uploads/")) {
        return response.withHeader("Location", location.replace(front.host(), storage.host()));
      }
      return response;
    });
    try {
      PushResult result = new LayoutPusher(client(storage.host()), EngineLog.NONE).push(new PushRequest(built.layout(),
          null, ImageName.parse("image", front.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
      assertEquals(built.index().digest(), result.index().digest());
      List<StubProxy.Request> uploads = storage.requests();
      assertTrue(uploads.stream().anyMatch(r -> r.method().equals("PUT")), "the uploads went to storage: " + uploads);
      for (StubProxy.Request r : uploads) {
        assertNull(r.header("Authorization"), "Authorization was sent to the upload host: " + r);
      }
      assertTrue(front.requests().stream().filter(r -> r.method().equals("PUT"))
          .allMatch(r -> basic.equals(r.header("Authorization"))), "manifests go to the registry with credentials");
      assertEquals(built.index().digest(), direct().getManifest(repository, "1.0").orElseThrow().digest());

      // the same Location on plain HTTP, when that host was not opted in: not a single request goes there
      storage.clear();
      String refused = "multiarch-test/upload-elsewhere-refused";
      RegistryException e = assertThrows(RegistryException.class, () -> new LayoutPusher(client(), EngineLog.NONE)
          .push(new PushRequest(built.layout(), null, ImageName.parse("image", front.host() + "/" + refused),
              List.of("1.0"), null, Map.of(), 2)));
      assertTrue(e.getMessage().contains("refused to send a request over plain HTTP to " + storage.host()),
          e.getMessage());
      assertTrue(storage.requests().isEmpty(), "a request went to the plain-HTTP host: " + storage.requests());
      assertFalse(direct().getManifest(refused, "1.0").isPresent());
    } finally {
      front.rule(StubProxy.PASS_THROUGH);
    }
  }

  @Test
  void aTokenRealmOverPlainHttpIsNeverSentTheCredentials() {
    try (TokenServer tokens = TokenServer.start("confinement", USER, PASSWORD);
        TestRegistry tokenRegistry = TestRegistry.builder("confinement-token").tls().tokenAuth(tokens).start()) {
      assertTrue(tokens.realm().startsWith("http://"));
      // TLS verified with the test CA; neither the registry nor the realm opted in to plain HTTP
      RegistryClient client = new RegistryClient(tokenRegistry.host(), new Credential(USER, PASSWORD, "test"),
          tokenRegistry.options(), new CollectingLog());
      RegistryException e = assertThrows(RegistryException.class, () -> new LayoutPusher(client, EngineLog.NONE)
          .push(new PushRequest(built.layout(), null, ImageName.parse("image", tokenRegistry.host() + "/x/y"),
              List.of("1.0"), null, Map.of(), 1)));
      assertTrue(e.getMessage().contains("over plain HTTP; refused"), e.getMessage());
      assertTrue(e.getMessage().contains(io.github.multiarch.oci.InvalidInputException.param("insecureRegistries")), e.getMessage());
      assertTrue(tokens.requests().isEmpty(), "the credentials went to a plain-HTTP token realm");
    }
  }

  // ------------------------------------------------------------------------------------ tampered bytes

  @Test
  void tamperedBlobBytesAreRefusedByTheirDigestAndNotKept() throws Exception {
    String repository = "multiarch-test/tampered-blob";
    pushDirect(built, repository);
    Descriptor layer = firstLayer(built);
    front.rule((request, forwarder) -> {
      StubProxy.Response response = forwarder.forward(request);
      if (request.method().equals("GET") && request.path().endsWith("/blobs/" + layer.digest())) {
        byte[] body = response.body().clone();
        body[body.length / 2] ^= 1; // one bit, same length
        return response.withBody(body);
      }
      return response;
    });
    try {
      Path dir = Files.createDirectories(tmp.resolve("tampered-download"));
      Path target = dir.resolve("blob");
      MultiarchException e = assertThrows(MultiarchException.class,
          () -> client().fetchBlob(repository, layer.digest(), target));
      assertTrue(e.getMessage().contains("blob " + layer.digest()) && e.getMessage().contains("does not match its digest")
          && e.getMessage().contains("refused"), e.getMessage());
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(List.of(), left.toList(), "nothing of the tampered download is kept");
      }
    } finally {
      front.rule(StubProxy.PASS_THROUGH);
    }
  }

  @Test
  void aBuildOnARegistryBaseWithATamperedLayerFailsAndCachesNothing() throws Exception {
    String repository = "multiarch-test/tampered-base";
    BuildResult base = TestImages.build(tmp.resolve("base"), "1", List.of("linux/amd64", "linux/arm64"), "base", 0);
    pushDirect(base, repository);
    Descriptor layer = firstLayer(base);
    front.rule((request, forwarder) -> {
      StubProxy.Response response = forwarder.forward(request);
      if (request.method().equals("GET") && request.path().endsWith("/blobs/" + layer.digest())) {
        byte[] body = response.body().clone();
        body[0] ^= 1;
        return response.withBody(body);
      }
      return response;
    });
    try {
      Path cache = tmp.resolve("tampered-cache");
      Path out = tmp.resolve("tampered-out");
      Path file = Files.writeString(tmp.resolve("app.txt"), "app");
      BuildRequest request = new BuildRequest("x/app", List.of("1"), ImageFormat.OCI,
          front.host() + "/" + repository + ":1.0",
          List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64"))),
          List.of(new io.github.multiarch.layer.LayerSpec("app",
              List.of(new io.github.multiarch.layer.LayerFile(file, "/app.txt", null)))),
          ContainerSpec.empty(), Map.of(), Instant.EPOCH, out, false, tmp,
          new RegistryAccess(host -> client(), cache, false));
      MultiarchException e = assertThrows(MultiarchException.class,
          () -> new MultiPlatformBuilder(EngineLog.NONE).build(request));
      assertTrue(e.getMessage().contains(layer.digest().toString()) && e.getMessage().contains("does not match its digest"),
          e.getMessage());
      assertFalse(OciLayout.open(cache).hasBlob(layer.digest()), "the tampered layer is not in the cache");
      try (Stream<Path> blobs = Files.walk(cache.resolve("blobs"))) {
        List<Path> partial = new ArrayList<>(blobs.filter(p -> p.getFileName().toString().contains("partial")).toList());
        assertEquals(List.of(), partial, "no partial download is left in the cache");
      }
      assertFalse(Files.exists(out.resolve("oci")), "the build wrote no layout");
      assertFalse(Files.exists(out.resolve("index.digest")));
    } finally {
      front.rule(StubProxy.PASS_THROUGH);
    }
  }
}
