package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing what the repository already has: manifests are looked up (HEAD) before anything else, a
 * present child needs neither its blobs checked nor itself put, and a tag that already names the index is
 * not rewritten. What is missing is still pushed in the safe order.
 */
class RepeatedPushTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  static BuildResult built;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("repeated").start();
    stub = StubProxy.start(registry.baseUrl());
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm64", "linux/arm/v7"),
        "repeated", 4096);
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
  void clear() {
    stub.clear();
  }

  static PushResult push(String repository, List<String> tags) {
    RegistryOptions options = registry.options().withInsecureRegistries(Set.of(stub.host()));
    CollectingLog log = new CollectingLog();
    return new LayoutPusher(new RegistryClient(stub.host(), null, options, log), log).push(new PushRequest(
        built.layout(), null, ImageName.parse("image", stub.host() + "/" + repository), tags, null, Map.of(), 2));
  }

  static long count(String method, String pathPart) {
    return stub.requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
  }

  @Test
  void aSecondPushOnlyLooksAndWritesNothing() {
    String repository = "multiarch-test/repeated-a";
    PushResult first = push(repository, List.of("1.0"));
    assertTrue(first.uploaded() > 0);
    assertEquals(3, count("PUT", "/manifests/sha256:"), "three children put on the first push");

    stub.clear();
    PushResult again = push(repository, List.of("1.0"));
    assertEquals(0, again.bytesUploaded());
    assertEquals(0, again.uploaded());
    assertEquals(first.uploaded() + first.skipped() + first.mounted(), again.skipped(), "every blob counted as there");
    assertEquals(first.index().digest(), again.index().digest());
    assertEquals(0, count("HEAD", "/blobs/"), "present children need no blob checks: " + stub.requests());
    assertEquals(0, count("PUT", "/"), "nothing is written again: " + stub.requests());
    assertEquals(0, count("POST", "/"), "no upload is started: " + stub.requests());
    assertEquals(1, count("HEAD", "/manifests/"), "the tag names this index: nothing else to look up: "
        + stub.requests());
  }

  @Test
  void aNewTagOfAnIndexThatIsThereIsOnePut() {
    String repository = "multiarch-test/repeated-b";
    push(repository, List.of("1.0"));
    stub.clear();
    push(repository, List.of("1.0", "latest"));
    assertEquals(1, count("PUT", "/manifests/"), stub.requests().toString());
    assertEquals(1, count("PUT", "/manifests/latest"), stub.requests().toString());
  }

  @Test
  void aRepositoryWithoutTheImageGetsEverythingInOrder() {
    String repository = "multiarch-test/repeated-c";
    push(repository, List.of("1.0"));
    stub.clear();
    push("multiarch-test/repeated-c2", List.of("1.0"));
    List<StubProxy.Request> requests = stub.requests();
    int lastChildPut = -1;
    int indexPut = -1;
    int lastBlobHead = -1;
    for (int i = 0; i < requests.size(); i++) {
      StubProxy.Request r = requests.get(i);
      if (r.method().equals("PUT") && r.path().contains("/manifests/sha256:")) {
        lastChildPut = i;
      } else if (r.method().equals("PUT") && r.path().endsWith("/manifests/1.0")) {
        indexPut = i;
      } else if (r.method().equals("HEAD") && r.path().contains("/blobs/")) {
        lastBlobHead = i;
      }
    }
    assertEquals(3, count("PUT", "/manifests/sha256:"));
    assertTrue(lastBlobHead >= 0 && lastBlobHead < lastChildPut && lastChildPut < indexPut, requests.toString());
  }

  @Test
  void childrenThatAreThereNeedNoBlobChecksUnderANewTag() {
    String repository = "multiarch-test/repeated-d";
    push(repository, List.of("1.0"));
    stub.clear();
    // tag 2.0 does not name the index yet, but every child is there (looked up by digest)
    PushResult result = push(repository, List.of("2.0"));
    assertEquals(0, result.uploaded());
    assertEquals(0, count("HEAD", "/blobs/"), "children found by digest: " + stub.requests());
    assertEquals(3, count("HEAD", "/manifests/sha256:"), stub.requests().toString());
    assertEquals(0, count("PUT", "/manifests/sha256:"), stub.requests().toString());
    assertEquals(1, count("PUT", "/manifests/2.0"), stub.requests().toString());
  }
}
