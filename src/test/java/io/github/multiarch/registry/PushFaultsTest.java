package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TcpRelay;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between the client and a real registry — transient and persistent 5xx, 429 with {@code Retry-After},
 * a connection reset in the middle of a blob upload, a response slower than the timeout, the registry killed
 * in the middle of a push and restarted. Whatever happens, the tag never points at an index with missing
 * children: after every scenario each child of whatever the tag points to, and each of their blobs, is checked.
 * (Wrong {@code Docker-Content-Digest} answers: {@link FaultInjectionTest}.)
 */
class PushFaultsTest {
  static final String TAG = "1.0";
  static final Pattern UPLOADING = Pattern.compile("multiarch: uploading (sha256:[0-9a-f]{64})");

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  final CollectingLog log = new CollectingLog();

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("push-faults").start();
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

  /** The test registry's options (3 attempts, retry pauses of at most 2 s) for the stub's host. */
  static RegistryOptions viaStub() {
    return registry.options().withInsecureRegistries(Set.of(stub.host()));
  }

  PushResult push(String host, RegistryOptions options, BuildResult built, String repository, int parallel) {
    RegistryClient client = new RegistryClient(host, null, options, log);
    return new LayoutPusher(client, log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", host + "/" + repository), List.of(TAG), null, Map.of(), parallel));
  }

  PushResult pushViaStub(BuildResult built, String repository) {
    return push(stub.host(), viaStub(), built, repository, 3);
  }

  static RegistryClient direct(TestRegistry r) {
    return new RegistryClient(r.host(), null, r.options(), new CollectingLog());
  }

  static BuildResult image(String name, String seed, int randomBytes) {
    return TestImages.build(tmp.resolve(name), TAG, List.of("linux/amd64", "linux/arm64"), seed, randomBytes);
  }

  /**
   * The promise behind every scenario: whatever {@code repository:tag} points to (if anything) is complete —
   * every child manifest of the index is in the repository, and so is every config and layer they name.
   * Returns the digest the tag points to, or null.
   */
  static Digest assertTagComplete(TestRegistry r, String repository, String tag) {
    RegistryClient client = direct(r);
    var top = client.getManifest(repository, tag);
    if (top.isEmpty()) {
      return null;
    }
    List<RegistryClient.Manifest> images = new ArrayList<>();
    if (MediaTypes.isIndex(top.get().mediaType())) {
      ImageIndex index = ImageIndex.parse(top.get().bytes(), top.get().mediaType(), "index");
      assertFalse(index.manifests().isEmpty());
      for (Descriptor child : index.manifests()) {
        images.add(client.getManifest(repository, child.digest().toString()).orElseThrow(() -> new AssertionError(
            repository + ":" + tag + " points at an index whose child " + child.digest() + " is missing")));
      }
    } else {
      images.add(top.get());
    }
    for (RegistryClient.Manifest image : images) {
      ImageManifest manifest = ImageManifest.parse(image.bytes(), image.mediaType(), "manifest");
      List<Descriptor> blobs = new ArrayList<>(manifest.layers());
      blobs.add(manifest.config());
      for (Descriptor blob : blobs) {
        assertTrue(client.blobExists(repository, blob.digest()), repository + ":" + tag + " → " + image.digest()
            + " names blob " + blob.digest() + ", which the repository lacks");
      }
    }
    return top.get().digest();
  }

  static boolean isPut(StubProxy.Request r, String repository, String reference) {
    return r.method().equals("PUT") && r.path().equals("/v2/" + repository + "/manifests/" + reference);
  }

  static boolean isBlobPut(StubProxy.Request r, String repository) {
    return r.method().equals("PUT") && r.path().startsWith("/v2/" + repository + "/blobs/uploads/");
  }

  long count(java.util.function.Predicate<StubProxy.Request> which) {
    return stub.requests().stream().filter(which).count();
  }

  /** The digests the pusher logged as uploading, in order. */
  static List<Digest> uploading(CollectingLog log) {
    List<Digest> digests = new ArrayList<>();
    for (String line : log.lines()) {
      Matcher m = UPLOADING.matcher(line);
      if (m.find()) {
        digests.add(Digest.parse(m.group(1)));
      }
    }
    return digests;
  }

  // ------------------------------------------------------------------------------------------ 5xx

  @Test
  void transient500And502And503AreRetriedAndThePushCompletes() {
    String repository = "multiarch-test/transient";
    BuildResult v1 = image("transient-v1", "transient 1", 0);
    pushViaStub(v1, repository);
    BuildResult v2 = image("transient-v2", "transient 2", 0);
    String child = v2.images().get(1).manifest().digest().toString();
    // one failure of each kind, on each kind of request: HEAD blob, start upload, blob PUT, child PUT, index PUT
    Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
    stub.clear();
    stub.rule((request, forwarder) -> {
      String kind = request.method().equals("HEAD") && request.path().contains("/blobs/") ? "head"
          : request.method().equals("POST") ? "start"
          : isBlobPut(request, repository) ? "upload"
          : isPut(request, repository, child) ? "child"
          : isPut(request, repository, TAG) ? "index" : null;
      if (kind != null && failed.computeIfAbsent(kind, k -> new AtomicInteger()).getAndIncrement() == 0) {
        int status = switch (kind) {
          case "head", "child" -> 500;
          case "start", "index" -> 502;
          default -> 503;
        };
        return StubProxy.Response.of(status, "");
      }
      return forwarder.forward(request);
    });

    PushResult result = pushViaStub(v2, repository);

    assertEquals(v2.index().digest(), result.index().digest());
    assertEquals(Set.of("head", "start", "upload", "child", "index"), failed.keySet(), "every fault was injected");
    assertEquals(2, count(r -> isPut(r, repository, child)), "the child PUT: 500, then 201");
    assertEquals(2, count(r -> isPut(r, repository, TAG)), "the index PUT: 502, then 201");
    assertEquals(v2.index().digest(), assertTagComplete(registry, repository, TAG));
    assertTrue(log.text().contains("retrying (1/3)"), log.text());
  }

  @Test
  void aPersistent503FailsAfterTheBoundedAttemptsAndTheTagStaysOnTheCompletePreviousIndex() {
    String repository = "multiarch-test/persistent";
    BuildResult v1 = image("persistent-v1", "persistent 1", 0);
    pushViaStub(v1, repository);
    BuildResult v2 = image("persistent-v2", "persistent 2", 0);
    String child = v2.images().get(0).manifest().digest().toString();
    stub.clear();
    stub.rule((request, forwarder) -> isPut(request, repository, child)
        ? StubProxy.Response.of(503, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected\"}]}",
            "Content-Type", "application/json")
        : forwarder.forward(request));

    RegistryException e = assertThrows(RegistryException.class, () -> pushViaStub(v2, repository));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("PUT manifest") && e.getMessage().contains(child), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 503 UNAVAILABLE: injected"), e.getMessage());
    assertEquals(viaStub().maxAttempts(), count(r -> isPut(r, repository, child)), "bounded: exactly maxAttempts");
    assertEquals(0, count(r -> isPut(r, repository, TAG)), "the index was not pushed");
    assertEquals(v1.index().digest(), assertTagComplete(registry, repository, TAG));
  }

  // ---------------------------------------------------------------------------------- 429 Retry-After

  @Test
  void tooManyRequestsWaitsAsLongAsRetryAfterSaysUpToTheLimit() {
    String repository = "multiarch-test/too-many";
    BuildResult built = image("too-many", "too many", 0);
    Digest config = built.images().get(0).configDigest();
    String configQuery = "digest=" + config.toString().replace(":", "%3A");
    Map<String, List<Long>> times = new ConcurrentHashMap<>();
    AtomicInteger blob429 = new AtomicInteger();
    AtomicInteger index429 = new AtomicInteger();
    stub.rule((request, forwarder) -> {
      // a whole-blob upload answered 429: the upload is started anew only after Retry-After (2 s)
      if (isBlobPut(request, repository) && request.query().contains(configQuery)) {
        times.computeIfAbsent("upload", k -> Collections.synchronizedList(new ArrayList<>())).add(System.nanoTime());
        if (blob429.getAndIncrement() == 0) {
          return StubProxy.Response.of(429,
              "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}",
              "Content-Type", "application/json", "Retry-After", "2");
        }
      }
      // the index answered 429 with an hour: capped at maxRetryDelay (2 s here)
      if (isPut(request, repository, TAG)) {
        times.computeIfAbsent("index", k -> Collections.synchronizedList(new ArrayList<>())).add(System.nanoTime());
        if (index429.getAndIncrement() == 0) {
          return StubProxy.Response.of(429, "", "Retry-After", "3600");
        }
      }
      return forwarder.forward(request);
    });

    long started = System.nanoTime();
    PushResult result = pushViaStub(built, repository);
    assertEquals(built.index().digest(), result.index().digest());
    long uploadPause = Duration.ofNanos(times.get("upload").get(1) - times.get("upload").get(0)).toMillis();
    assertTrue(uploadPause >= 1900, "the blob upload was retried after " + uploadPause + " ms, not Retry-After's 2 s");
    long indexPause = Duration.ofNanos(times.get("index").get(1) - times.get("index").get(0)).toMillis();
    assertTrue(indexPause >= 1900 && indexPause < 10_000,
        "the index PUT was retried after " + indexPause + " ms, not the 2 s cap of Retry-After: 3600");
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30);
    assertEquals(built.index().digest(), assertTagComplete(registry, repository, TAG));
  }

  @Test
  void aBlobDownloadAnswered503IsRetriedAndA404IsNot() throws Exception {
    String repository = "multiarch-test/download";
    BuildResult built = image("download", "download", 0);
    pushViaStub(built, repository);
    Digest config = built.images().get(0).configDigest();
    AtomicInteger gets = new AtomicInteger();
    stub.rule((request, forwarder) -> request.method().equals("GET") && request.path().endsWith("/blobs/" + config)
        && gets.incrementAndGet() == 1 ? StubProxy.Response.of(503, "", "Retry-After", "1") : forwarder.forward(request));
    RegistryClient client = new RegistryClient(stub.host(), null, viaStub(), log);
    Path target = tmp.resolve("downloaded-config");
    client.fetchBlob(repository, config, target);
    assertEquals(2, gets.get(), "503, then the blob");
    assertEquals(config, Digest.sha256(java.nio.file.Files.readAllBytes(target)));

    Digest absent = Digest.sha256("not in the repository");
    stub.clear();
    RegistryException e = assertThrows(RegistryException.class,
        () -> client.fetchBlob(repository, absent, tmp.resolve("absent")));
    assertEquals(404, e.status());
    assertEquals(1, stub.requests(repository).size(), "a 404 is an answer, not a fault: " + stub.requests());
  }

  // ------------------------------------------------------------------------------ connection reset

  @Test
  void aConnectionResetInTheMiddleOfABlobUploadIsRetriedAsAWholeAndThePushCompletes() {
    String repository = "multiarch-test/reset";
    // a 3 MiB layer of random bytes goes up in one PUT; the relay resets the connection after 1 MiB of it
    BuildResult built = image("reset", "reset", 3 * 1024 * 1024);
    try (TcpRelay relay = TcpRelay.start(registry.host())) {
      relay.resetRequests("PUT /v2/" + repository + "/blobs/uploads/", 1024 * 1024, 1);
      RegistryOptions options = registry.options().withInsecureRegistries(Set.of(relay.host()));
      PushResult result = push(relay.host(), options, built, repository, 2);
      assertEquals(1, relay.resets(), "the relay broke one upload in the middle of its body");
      assertEquals(built.index().digest(), result.index().digest());
    }
    assertTrue(log.text().contains("retrying (1/3)"), log.text());
    assertEquals(built.index().digest(), assertTagComplete(registry, repository, TAG));
  }

  @Test
  void aConnectionResetOnEveryAttemptFailsClearlyAndLeavesThePreviousIndex() {
    String repository = "multiarch-test/reset-always";
    BuildResult v1 = image("reset-always-v1", "reset always 1", 0);
    pushViaStub(v1, repository);
    BuildResult v2 = image("reset-always-v2", "reset always 2", 2 * 1024 * 1024);
    try (TcpRelay relay = TcpRelay.start(registry.host())) {
      relay.resetRequests("PUT /v2/" + repository + "/blobs/uploads/", 1024 * 1024, Integer.MAX_VALUE);
      RegistryOptions options = registry.options().withInsecureRegistries(Set.of(relay.host()));
      RegistryException e = assertThrows(RegistryException.class, () -> push(relay.host(), options, v2, repository, 1));
      assertEquals(-1, e.status());
      assertTrue(e.getMessage().startsWith("upload ") && e.getMessage().contains(relay.host())
          && e.getMessage().contains("failed"), e.getMessage());
      assertEquals(options.maxAttempts(), relay.resets(), "the upload was tried maxAttempts times, then given up");
    }
    assertEquals(v1.index().digest(), assertTagComplete(registry, repository, TAG));
  }

  // ------------------------------------------------------------------------------------------ timeout

  @Test
  void aResponseSlowerThanTheTimeoutIsRetriedThenFailsClearly() {
    String repository = "multiarch-test/slow";
    BuildResult v1 = image("slow-v1", "slow 1", 0);
    pushViaStub(v1, repository);
    stub.clear();
    BuildResult v2 = image("slow-v2", "slow 2", 0);
    String first = v2.images().get(0).manifest().digest().toString();
    String second = v2.images().get(1).manifest().digest().toString();
    AtomicInteger firstAttempts = new AtomicInteger();
    AtomicInteger secondAttempts = new AtomicInteger();
    // never forwarded when slow: a PUT the client gave up on must not reach the registry afterwards
    stub.rule((request, forwarder) -> {
      boolean slow = (isPut(request, repository, first) && firstAttempts.getAndIncrement() == 0)
          || (isPut(request, repository, second) && secondAttempts.incrementAndGet() > 0);
      if (slow) {
        sleep(2500);
        return StubProxy.Response.of(504, "");
      }
      return forwarder.forward(request);
    });
    RegistryOptions defaults = viaStub();
    RegistryOptions options = new RegistryOptions(defaults.insecureRegistries(), List.of(), defaults.chunkSize(),
        defaults.monolithicLimit(), 2, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1), null);

    RegistryException e = assertThrows(RegistryException.class, () -> push(stub.host(), options, v2, repository, 2));
    assertEquals(2, firstAttempts.get(), "the first child timed out once, then went through");
    assertEquals("PUT manifest " + second + " at " + stub.host() + " timed out after 1 s", e.getMessage());
    assertEquals(2, secondAttempts.get(), "the slow child was tried twice (maxAttempts 2)");
    assertEquals(0, count(r -> isPut(r, repository, TAG)), "the index was not pushed");
    assertEquals(v1.index().digest(), assertTagComplete(registry, repository, TAG));
  }

  // ------------------------------------------------------------------------------- killed, restarted

  @Test
  void aRegistryKilledInTheMiddleOfAPushFailsItClearlyAndARerunAfterTheRestartUploadsOnlyWhatIsMissing() {
    TestRegistry own = TestRegistry.builder("killed").start();
    try {
      String repository = "multiarch-test/killed";
      RegistryOptions options = own.options();
      BuildResult v1 = image("killed-v1", "killed 1", 0);
      push(own.host(), options, v1, repository, 1);
      BuildResult v2 = image("killed-v2", "killed 2", 256 * 1024);

      // one upload at a time; the registry is killed (SIGKILL) as the third blob's upload begins
      AtomicInteger uploads = new AtomicInteger();
      CollectingLog killing = new CollectingLog() {
        @Override
        public void debug(String message) {
          super.debug(message);
          if (message.startsWith("multiarch: uploading ") && uploads.incrementAndGet() == 3) {
            own.kill();
          }
        }
      };
      RegistryClient client = new RegistryClient(own.host(), null, options, killing);
      PushRequest request = new PushRequest(v2.layout(), null, ImageName.parse("image", own.host() + "/" + repository),
          List.of(TAG), null, Map.of(), 1);
      RegistryException e = assertThrows(RegistryException.class, () -> new LayoutPusher(client, killing).push(request));
      assertTrue(e.getMessage().startsWith("cannot connect to " + own.host() + " (start upload of "), e.getMessage());
      assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection refused"), e.getMessage());
      List<Digest> tried = uploading(killing);
      assertEquals(3, tried.size(), "the push stopped at the blob whose upload met the dead registry");
      Set<Digest> uploadedBeforeTheKill = new HashSet<>(tried.subList(0, 2));

      own.restart();
      assertEquals(v1.index().digest(), assertTagComplete(own, repository, TAG), "the previous index stays");
      for (Digest blob : uploadedBeforeTheKill) {
        assertTrue(direct(own).blobExists(repository, blob), "survived the kill: " + blob);
      }

      CollectingLog rerun = new CollectingLog();
      PushResult result = new LayoutPusher(new RegistryClient(own.host(), null, options, rerun), rerun).push(request);
      assertEquals(v2.index().digest(), result.index().digest());
      List<Digest> uploadedAgain = uploading(rerun);
      assertTrue(Collections.disjoint(uploadedAgain, uploadedBeforeTheKill),
          "the rerun uploaded again what was there: " + uploadedAgain + " / " + uploadedBeforeTheKill);
      assertEquals(2, result.skipped(), "the two blobs uploaded before the kill were found");
      assertEquals(uploadedAgain.size(), result.uploaded());
      assertEquals(v2.index().digest(), assertTagComplete(own, repository, TAG));
      assertNotEquals(v1.index().digest(), v2.index().digest());
    } finally {
      own.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
