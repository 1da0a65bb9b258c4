package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.github.multiarch.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layer of a few MB pushed in 64 KiB PATCH chunks, through a stub that records the requests. */
class ChunkedUploadTest {
  static final int CHUNK = 64 * 1024;
  static final int RANDOM_BYTES = 3 * 1024 * 1024 + 12345;

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("chunked").start();
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

  @Test
  void aLargeLayerGoesUpInChunksAndArrivesIntact() throws Exception {
    BuildResult built = TestImages.build(tmp.resolve("image"), "big", List.of("linux/amd64", "linux/arm64"),
        "chunked", RANDOM_BYTES);
    OciLayout layout = OciLayout.open(built.layout());
    Descriptor child = built.images().get(0).manifest();
    ImageManifest manifest = ImageManifest.parse(layout.readBlob(child, OciJson.MAX_MANIFEST_BYTES),
        child.mediaType(), "manifest");
    Descriptor big = manifest.layers().stream().filter(l -> l.size() > RANDOM_BYTES).findFirst().orElseThrow();

    RegistryOptions options = registry.options().withInsecureRegistries(java.util.Set.of(stub.host()))
        .withChunking(CHUNK, CHUNK);
    CollectingLog log = new CollectingLog();
    String repository = "multiarch-test/chunked";
    PushResult result = new LayoutPusher(new RegistryClient(stub.host(), null, options, log), log).push(
        new PushRequest(built.layout(), null, ImageName.parse("image", stub.host() + "/" + repository),
            List.of("big"), null, Map.of(), 3));
    assertTrue(result.bytesUploaded() > RANDOM_BYTES);

    // the big layer: one upload session of contiguous PATCH chunks of at most 64 KiB, closed by an empty PUT
    List<StubProxy.Request> requests = stub.requests();
    StubProxy.Request finish = requests.stream().filter(r -> r.method().equals("PUT")
        && r.query().contains("digest=" + big.digest().toString().replace(":", "%3A"))).findFirst().orElseThrow(
            () -> new AssertionError("no PUT finishing " + big.digest() + " in " + requests));
    assertEquals(0, finish.body().length, "the final PUT carries no data");
    List<StubProxy.Request> patches = requests.stream()
        .filter(r -> r.method().equals("PATCH") && session(r).equals(session(finish))).toList();
    assertEquals((big.size() + CHUNK - 1) / CHUNK, patches.size(), "number of chunks");
    long offset = 0;
    for (StubProxy.Request patch : patches) {
      assertTrue(patch.body().length <= CHUNK && patch.body().length > 0, "chunk of " + patch.body().length);
      assertEquals(offset + "-" + (offset + patch.body().length - 1), patch.header("Content-Range"));
      offset += patch.body().length;
    }
    assertEquals(big.size(), offset);
    // small blobs (configs, small layers) go up in one PUT each
    long monolithic = requests.stream().filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/")
        && r.body().length > 0).count();
    assertEquals(result.uploaded() - 1, monolithic);
    // no session but the big layer's was PATCHed
    assertEquals(1, requests.stream().filter(r -> r.method().equals("PATCH")).map(ChunkedUploadTest::session)
        .collect(Collectors.toSet()).size());

    // skopeo pulls everything and checks every digest
    Path copied = tmp.resolve("copied");
    List<String> args = new ArrayList<>(List.of("copy", "--all"));
    args.addAll(registry.skopeoOptions("src-"));
    args.add("docker://" + registry.host() + "/" + repository + ":big");
    args.add("oci:" + copied + ":big");
    Tools.skopeo(args.toArray(String[]::new)).check();
    assertArrayEquals(Files.readAllBytes(layout.blobPath(big.digest())),
        Files.readAllBytes(OciLayout.open(copied).blobPath(big.digest())));

    // and our client's download checks the digest too
    Path fetched = tmp.resolve("fetched.blob");
    new RegistryClient(registry.host(), null, registry.options(), log).fetchBlob(repository, big.digest(), fetched);
    assertEquals(big.digest(), Digest.sha256(Files.readAllBytes(fetched)));
  }

  /** The upload session a request belongs to: the path up to and including the upload's id. */
  static String session(StubProxy.Request request) {
    return request.path();
  }
}
