package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.TokenServer;
import io.github.multiarch.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens: the registry ({@code auth.token}) sends the client to a token service of the test's own,
 * which signs RS256 JWTs. A stub in front of the registry records what the registry is sent.
 */
class BearerTokenTest {
  static final String USER = "bob";
  static final String PASSWORD = "Bobs-T0ken-Pw-5r8w";
  static final String SCOPE = "repository:[a-z0-9._/-]+:(pull|push|delete|pull,push)";

  @TempDir
  static Path tmp;
  static TokenServer tokens;
  static TestRegistry registry;
  static StubProxy stub;
  static BuildResult built;
  static OciLayout layout;
  final CollectingLog log = new CollectingLog();

  @BeforeAll
  static void start() {
    tokens = TokenServer.start("bearer", USER, PASSWORD);
    registry = TestRegistry.builder("bearer").tokenAuth(tokens).start();
    stub = StubProxy.start(registry.baseUrl());
    built = TestImages.build(tmp.resolve("image"), "1.0", TestImages.THREE_PLATFORMS, "bearer", 0);
    layout = OciLayout.open(built.layout());
  }

  @AfterAll
  static void stop() {
    if (stub != null) {
      stub.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  @BeforeEach
  void reset() {
    tokens.policy((user, repository) -> user == null ? Set.of() : Set.of("pull", "push"));
    tokens.clearRequests();
    stub.clear();
  }

  RegistryClient client() {
    return new RegistryClient(stub.host(), new Credential(USER, PASSWORD, "the test"),
        registry.options().withInsecureRegistries(Set.of(stub.host())), log);
  }

  PushResult push(String repository, Map<Digest, String> mountSources) {
    return new LayoutPusher(client(), log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", stub.host() + "/" + repository), List.of("1.0"), null, mountSources, 3));
  }

  /** Every blob of the layout (configs and layers), each once. */
  static List<Digest> blobs() {
    Map<Digest, Boolean> all = new LinkedHashMap<>();
    for (io.github.multiarch.build.BuildResult.PlatformImage image : built.images()) {
      Descriptor child = image.manifest();
      ImageManifest manifest = ImageManifest.parse(layout.readBlob(child, OciJson.MAX_MANIFEST_BYTES),
          child.mediaType(), "manifest");
      all.put(manifest.config().digest(), true);
      manifest.layers().forEach(l -> all.put(l.digest(), true));
    }
    return List.copyOf(all.keySet());
  }

  static Map<Digest, String> allFrom(String repository) {
    Map<Digest, String> sources = new LinkedHashMap<>();
    blobs().forEach(d -> sources.put(d, repository));
    return sources;
  }

  /** The token service gets one {@code scope} parameter per scope, and the credentials; the registry never. */
  void assertCleanAuthentication() {
    assertFalse(tokens.requests().isEmpty(), "the token service was asked");
    String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    for (TokenServer.TokenRequest request : tokens.requests()) {
      assertEquals(TestRegistry.SERVICE, request.service());
      assertEquals(basic, request.authorization(), "the token service gets the user's credentials");
      for (String scope : request.scopes()) {
        assertTrue(scope.matches(SCOPE), "one scope per parameter, got '" + scope + "' in " + request.scopes());
      }
    }
    for (StubProxy.Request request : stub.requests()) {
      String authorization = request.header("Authorization");
      if (authorization != null) {
        assertTrue(authorization.startsWith("Bearer "), request + " carried " + authorization.split(" ")[0]);
        assertFalse(authorization.contains(PASSWORD), request + " carried the password");
        assertFalse(authorization.contains(basic.substring(6)), request + " carried the credentials");
      }
    }
    assertFalse(log.text().contains(PASSWORD), log.text());
  }

  @Test
  void pushesWithTokensAskingOneScopeParameterEach() {
    PushResult result = push("multiarch-test/token-a", Map.of());
    assertEquals(7, result.uploaded());
    assertEquals(built.index().digest(), client().getManifest("multiarch-test/token-a", "1.0").orElseThrow()
        .digest());
    assertCleanAuthentication();
    assertTrue(tokens.requests().stream().anyMatch(r -> r.scopes().equals(
        List.of("repository:multiarch-test/token-a:pull,push"))), "push scope asked: " + tokens.requests());
    assertTrue(stub.requests().stream().anyMatch(r -> r.header("Authorization") != null), "the registry got tokens");

    // an independent client reads the image through the same token service
    List<String> args = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false",
        "--creds=" + USER + ":" + PASSWORD, "docker://" + registry.host() + "/multiarch-test/token-a:1.0"));
    assertArrayEquals(layout.readBlob(built.index(), OciJson.MAX_MANIFEST_BYTES),
        Tools.skopeo(args.toArray(String[]::new)).check().stdoutBytes());
  }

  @Test
  void mountsBlobsFromAnotherRepositoryAskingPullOnIt() {
    push("multiarch-test/mount-source", Map.of());
    tokens.clearRequests();
    stub.clear();

    PushResult result = push("multiarch-test/mount-target", allFrom("multiarch-test/mount-source"));
    assertEquals(7, result.mounted(), "every blob mounted");
    assertEquals(0, result.uploaded());
    assertEquals(0, result.bytesUploaded());
    assertEquals(7, result.platforms().stream().mapToInt(PushResult.PlatformPush::mounted).sum());
    assertTrue(tokens.requests().stream().anyMatch(r -> r.scopes().equals(List.of(
            "repository:multiarch-test/mount-target:pull,push", "repository:multiarch-test/mount-source:pull"))),
        "a mount asks push on the target and pull on the source, as two scope parameters: " + tokens.requests());
    List<StubProxy.Exchange> mounts = stub.exchanges().stream()
        .filter(e -> e.request().method().equals("POST") && e.request().query().contains("mount=")).toList();
    assertEquals(7, mounts.size());
    assertTrue(mounts.stream().allMatch(e -> e.status() == 201 && e.request().query()
        .contains("from=multiarch-test%2Fmount-source")), "mounted: " + mounts);
    assertTrue(stub.requests().stream().noneMatch(r -> r.method().equals("PATCH")
        || (r.method().equals("PUT") && r.path().contains("/blobs/uploads/"))), "nothing uploaded");
    assertCleanAuthentication();
    assertEquals(built.index().digest(),
        client().getManifest("multiarch-test/mount-target", "1.0").orElseThrow().digest());
  }

  @Test
  void aMountTheTokenServiceRefusesFallsBackToAnUpload() {
    push("multiarch-test/private-source", Map.of());
    // bob may no longer read the source repository
    tokens.policy((user, repository) -> user == null ? Set.of()
        : repository.equals("multiarch-test/private-source") ? Set.of() : Set.of("pull", "push"));
    tokens.clearRequests();
    stub.clear();

    PushResult result = push("multiarch-test/private-target", allFrom("multiarch-test/private-source"));
    assertEquals(0, result.mounted());
    assertEquals(7, result.uploaded());
    assertEquals(built.index().digest(),
        client().getManifest("multiarch-test/private-target", "1.0").orElseThrow().digest());
    assertCleanAuthentication();
  }

  @Test
  void aMountFromARepositoryWithoutTheBlobUploadsIntoTheSessionItOpened() {
    stub.clear();
    PushResult result = push("multiarch-test/lonely", allFrom("multiarch-test/does-not-exist"));
    assertEquals(0, result.mounted());
    assertEquals(7, result.uploaded());
    // distribution answers such a mount with 202 and an upload session: the blob goes there, with the token
    List<StubProxy.Exchange> posts = stub.exchanges().stream()
        .filter(e -> e.request().method().equals("POST")).toList();
    assertEquals(7, posts.size(), "one POST per blob, the mount's: " + posts);
    assertTrue(posts.stream().allMatch(e -> e.status() == 202 && e.request().query().contains("mount=")), "" + posts);
    assertTrue(stub.requests().stream().noneMatch(r -> r.method().equals("DELETE")), "a session was cancelled");
    assertTrue(stub.requests().stream().filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/"))
        .allMatch(r -> r.header("Authorization") != null), "an upload without the token");
    assertCleanAuthentication();
  }

  @Test
  void aSessionThatIsNotUsedIsCancelledWithTheDeleteScope() {
    // distribution wants "delete" on the repository to cancel an upload session
    tokens.policy((user, repository) -> user == null ? Set.of() : Set.of("pull", "push", "delete"));
    tokens.clearRequests();
    stub.clear();
    RegistryClient client = client();
    RegistryClient.Mount mount = client.mountBlob("multiarch-test/cancelled", blobs().get(0),
        "multiarch-test/does-not-exist");
    assertEquals(202, mount.status());
    client.cancelUpload(mount.uploadSession(), "multiarch-test/cancelled");
    List<StubProxy.Exchange> cancels = stub.exchanges().stream()
        .filter(e -> e.request().method().equals("DELETE")).toList();
    assertEquals(1, cancels.stream().filter(e -> e.status() == 204).count(), "the session cancelled: " + cancels);
    assertTrue(cancels.stream().allMatch(e -> e.request().header("Authorization") != null), "with a token");
    assertTrue(tokens.requests().stream().anyMatch(r -> r.scopes().equals(List.of(
        "repository:multiarch-test/cancelled:pull,push", "repository:multiarch-test/cancelled:delete"))),
        "the scope the registry asked for is added as its own parameter: " + tokens.requests());
    assertCleanAuthentication();
  }
}
