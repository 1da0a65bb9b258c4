package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scripted stub in front of the real registry fails, delays or falsifies chosen requests; the push must
 * never leave a tag on something incomplete, retry what is worth retrying, and refuse what does not match.
 */
class FaultInjectionTest {
  static final String TAG = "1.0";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  final CollectingLog log = new CollectingLog();

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("faults").start();
    stub = StubProxy.start(registry.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (stub != null) {
      stub.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void reset() {
    stub.rule(StubProxy.PASS_THROUGH);
    stub.clear();
  }

  RegistryClient throughStub() {
    return new RegistryClient(stub.host(), null, registry.options().withInsecureRegistries(Set.of(stub.host())), log);
  }

  RegistryClient direct() {
    return new RegistryClient(registry.host(), null, registry.options(), log);
  }

  PushResult push(BuildResult built, String repository) {
    return new LayoutPusher(throughStub(), log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", stub.host() + "/" + repository), List.of(TAG), "{tag}-{platform}", Map.of(), 3));
  }

  static boolean isPut(StubProxy.Request r, String repository, String reference) {
    return r.method().equals("PUT") && r.path().equals("/v2/" + repository + "/manifests/" + reference);
  }

  @Test
  void aFailingChildLeavesTheTagOnThePreviousIndex() {
    String repository = "multiarch-test/child-failure";
    BuildResult v1 = TestImages.build(tmp.resolve("v1"), TAG, "version 1");
    push(v1, repository);
    assertEquals(v1.index().digest(), direct().getManifest(repository, TAG).orElseThrow().digest());

    BuildResult v2 = TestImages.build(tmp.resolve("v2"), TAG, "version 2");
    assertNotEquals(v1.index().digest(), v2.index().digest());
    String failing = v2.images().get(1).manifest().digest().toString();
    stub.clear();
    stub.rule((request, registry) -> isPut(request, repository, failing)
        ? StubProxy.Response.of(500, "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"injected failure\"}]}",
            "Content-Type", "application/json")
        : registry.forward(request));

    RegistryException e = assertThrows(RegistryException.class, () -> push(v2, repository));
    assertEquals(500, e.status());
    assertTrue(e.getMessage().contains(failing), e.getMessage());
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    assertTrue(stub.requests().stream().filter(r -> isPut(r, repository, failing)).count() >= 2, "5xx is retried");
    // neither the index nor any platform tag was touched after the failure
    assertTrue(stub.requests().stream().noneMatch(r -> isPut(r, repository, TAG)), "the index was not pushed");
    assertTrue(stub.requests().stream().noneMatch(r -> r.method().equals("PUT")
        && r.path().startsWith("/v2/" + repository + "/manifests/" + TAG + "-")), "no platform tag was pushed");
    RegistryClient.Manifest tagged = direct().getManifest(repository, TAG).orElseThrow();
    assertEquals(v1.index().digest(), tagged.digest(), "the tag still points at the previous index");
    assertEquals(v1.images().get(0).manifest().digest(),
        direct().getManifest(repository, TAG + "-linux-amd64").orElseThrow().digest());

    // and skopeo, an independent client, sees the previous index too
    List<String> args = new ArrayList<>(List.of("inspect", "--raw"));
    args.addAll(registry.skopeoOptions(""));
    args.add("docker://" + registry.host() + "/" + repository + ":" + TAG);
    assertArrayEquals(OciLayout.open(v1.layout()).readBlob(v1.index(), OciJson.MAX_MANIFEST_BYTES),
        Tools.skopeo(args.toArray(String[]::new)).check().stdoutBytes());
  }

  @Test
  void retriesServiceUnavailableHonouringRetryAfterAndRestartsAFailedUploadAsAWhole() {
    String repository = "multiarch-test/retries";
    BuildResult built = TestImages.build(tmp.resolve("retries"), TAG, List.of("linux/amd64", "linux/arm64"),
        "retries", 0);
    Digest shared = sharedLayer(built);
    String sharedQuery = "digest=" + shared.toString().replace(":", "%3A");
    AtomicInteger indexFailures = new AtomicInteger();
    AtomicInteger uploadFailures = new AtomicInteger();
    stub.rule((request, registry) -> {
      if (isPut(request, repository, TAG) && indexFailures.getAndIncrement() < 2) {
        return StubProxy.Response.of(503, "", "Retry-After", "1");
      }
      if (request.method().equals("PUT") && request.query().contains(sharedQuery)
          && uploadFailures.getAndIncrement() < 2) {
        return StubProxy.Response.of(503, "", "Retry-After", "1");
      }
      return registry.forward(request);
    });

    PushResult result = push(built, repository);
    assertEquals(built.index().digest(), result.index().digest());
    assertEquals(3, stub.requests().stream().filter(r -> isPut(r, repository, TAG)).count(),
        "two 503 answers, then the index went up");
    List<StubProxy.Exchange> sharedPuts = stub.exchanges().stream().filter(e -> e.request().method().equals("PUT")
        && e.request().query().contains(sharedQuery)).toList();
    assertEquals(List.of(503, 503, 201), sharedPuts.stream().map(StubProxy.Exchange::status).toList());
    // each attempt of the upload had its own session: the failed ones were cancelled and started anew
    assertEquals(3, sharedPuts.stream().map(e -> e.request().path()).distinct().count());
    assertTrue(stub.exchanges().stream().filter(e -> e.request().method().equals("DELETE"))
        .filter(e -> e.status() == 204).count() >= 2, "the failed sessions were cancelled");
    assertTrue(log.text().contains("retrying"), log.text());
    assertEquals(built.index().digest(), direct().getManifest(repository, TAG).orElseThrow().digest());
    assertTrue(direct().blobExists(repository, shared));
  }

  @Test
  void aClientErrorIsNotRetried() {
    String repository = "multiarch-test/no-retry";
    BuildResult built = TestImages.build(tmp.resolve("no-retry"), TAG, List.of("linux/amd64"), "no-retry", 0);
    stub.rule((request, registry) -> isPut(request, repository, TAG)
        ? StubProxy.Response.of(400, "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"injected\"}]}",
            "Content-Type", "application/json")
        : registry.forward(request));
    RegistryException e = assertThrows(RegistryException.class, () -> push(built, repository));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("MANIFEST_INVALID"), e.getMessage());
    assertEquals(1, stub.requests().stream().filter(r -> isPut(r, repository, TAG)).count());
  }

  @Test
  void aManifestPutAnsweredWithAnotherDigestFailsThePush() {
    String repository = "multiarch-test/wrong-digest";
    BuildResult built = TestImages.build(tmp.resolve("wrong-digest"), TAG, "wrong digest");
    String child = built.images().get(0).manifest().digest().toString();
    Digest bogus = Digest.sha256("not the manifest");
    stub.rule((request, registry) -> isPut(request, repository, child)
        ? registry.forward(request).withHeader("Docker-Content-Digest", bogus.toString())
        : registry.forward(request));

    MultiarchException e = assertThrows(MultiarchException.class, () -> push(built, repository));
    assertTrue(e.getMessage().contains("reported digest " + bogus), e.getMessage());
    assertTrue(e.getMessage().contains("but its content is " + child), e.getMessage());
    assertTrue(e.getMessage().contains("refused"), e.getMessage());
    assertFalse(direct().getManifest(repository, TAG).isPresent(), "the index was not tagged");
  }

  @Test
  void aBlobUploadAnsweredWithAnotherDigestFailsThePush() {
    String repository = "multiarch-test/wrong-blob-digest";
    BuildResult built = TestImages.build(tmp.resolve("wrong-blob"), TAG, List.of("linux/amd64"), "blob", 0);
    Digest bogus = Digest.sha256("not the blob");
    stub.rule((request, registry) -> request.method().equals("PUT") && request.path().contains("/blobs/uploads/")
        ? registry.forward(request).withHeader("Docker-Content-Digest", bogus.toString())
        : registry.forward(request));
    MultiarchException e = assertThrows(MultiarchException.class, () -> push(built, repository));
    assertTrue(e.getMessage().contains("reported digest " + bogus), e.getMessage());
    assertFalse(direct().getManifest(repository, TAG).isPresent());
    assertTrue(stub.requests().stream().noneMatch(r -> r.method().equals("PUT")
        && r.path().startsWith("/v2/" + repository + "/manifests/")), "no manifest pushed");
  }

  @Test
  void aManifestFetchedByDigestMustMatchIt() {
    String repository = "multiarch-test/tampered";
    BuildResult built = TestImages.build(tmp.resolve("tampered"), TAG, List.of("linux/amd64", "linux/arm64"),
        "tampered", 0);
    push(built, repository);
    Descriptor child = built.images().get(0).manifest();
    String path = "/v2/" + repository + "/manifests/" + child.digest();

    // untouched, it is returned as its exact bytes
    RegistryClient.Manifest fetched = throughStub().getManifest(repository, child.digest().toString()).orElseThrow();
    assertArrayEquals(OciLayout.open(built.layout()).readBlob(child, OciJson.MAX_MANIFEST_BYTES), fetched.bytes());

    stub.rule((request, registry) -> {
      StubProxy.Response response = registry.forward(request);
      if (request.method().equals("GET") && request.path().equals(path)) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return response.withBody(text.replace("\"schemaVersion\":2", "\"schemaVersion\": 2")
            .getBytes(StandardCharsets.UTF_8));
      }
      return response;
    });
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> throughStub().getManifest(repository, child.digest().toString()));
    assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());
    assertTrue(e.getMessage().contains(child.digest().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("refused"), e.getMessage());
  }

  /** The layer every platform shares. */
  static Digest sharedLayer(BuildResult built) {
    OciLayout layout = OciLayout.open(built.layout());
    List<Digest> first = null;
    for (BuildResult.PlatformImage image : built.images()) {
      List<Digest> layers = ImageManifest.parse(layout.readBlob(image.manifest(), OciJson.MAX_MANIFEST_BYTES),
          image.manifest().mediaType(), "manifest").layers().stream().map(Descriptor::digest).toList();
      if (first == null) {
        first = new ArrayList<>(layers);
      } else {
        first.retainAll(layers);
      }
    }
    assertEquals(1, first.size(), "one shared layer");
    return first.get(0);
  }
}
