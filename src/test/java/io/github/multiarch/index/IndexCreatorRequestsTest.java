package io.github.multiarch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryOptions;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests {@code create} makes when it joins per-architecture images of the target repository itself
 * (the usual case: one job per architecture pushes {@code app:1.0-amd64}, … and a last one joins them):
 * each child is read (manifest and config) and is known to be there, so nothing is checked or put again
 * but the index.
 */
class IndexCreatorRequestsTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  static final String REPOSITORY = "multiarch-test/create-requests";

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("create-requests").start();
    stub = StubProxy.start(registry.baseUrl());
    BuildResult built = TestImages.build(tmp.resolve("image"), "1", List.of("linux/amd64", "linux/arm64",
        "linux/s390x"), "create-requests", 2048);
    new LayoutPusher(client(), EngineLog.NONE).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", stub.host() + "/" + REPOSITORY), List.of("1"), "{tag}-{platform}", Map.of(), 2));
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

  static RegistryClient client() {
    RegistryOptions options = registry.options().withInsecureRegistries(Set.of(stub.host()));
    return new RegistryClient(stub.host(), null, options, EngineLog.NONE);
  }

  static IndexCreator.Result create(String repository, String tag) {
    List<String> refs = List.of("1-linux-amd64", "1-linux-arm64", "1-linux-s390x");
    List<SourceSpec> specs = refs.stream().map(t -> SourceSpec.of(stub.host() + "/" + REPOSITORY + ":" + t)).toList();
    RegistryClient client = client();
    List<ImageSource> sources = new ArrayList<>();
    for (SourceSpec spec : specs) {
      sources.add(ImageSources.parse("sources", spec.reference(), tmp, tmp.resolve("work"), host -> client));
    }
    CreateRequest request = new CreateRequest(ImageName.parse("image", stub.host() + "/" + repository), List.of(tag),
        specs, ImageFormat.OCI, false, false, List.of(), Map.of());
    return new IndexCreator(client, EngineLog.NONE).create(request, sources);
  }

  static long count(String method, String pathPart) {
    return stub.requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
  }

  @Test
  void imagesOfTheTargetRepositoryAreNotCheckedOrPutAgain() {
    stub.clear();
    IndexCreator.Result result = create(REPOSITORY, "joined");
    assertEquals(3, result.entries().size());
    assertEquals(0, result.blobsCopied());
    assertEquals(0, result.blobsMounted());
    assertTrue(result.blobsPresent() >= 4, "configs and layers counted as there: " + result.blobsPresent());
    assertEquals(0, count("HEAD", "/blobs/"), stub.requests().toString());
    assertEquals(0, count("PUT", "/manifests/sha256:"), stub.requests().toString());
    assertEquals(1, count("PUT", "/manifests/joined"), stub.requests().toString());
    // and the index is whole: every child resolves in the repository
    RegistryClient direct = new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE);
    for (var entry : result.entries()) {
      assertTrue(direct.getManifest(REPOSITORY, entry.digest().toString()).isPresent(), entry.toString());
    }
    assertEquals(result.index().digest(), Digest.sha256(direct.getManifest(REPOSITORY, "joined").orElseThrow().bytes()));
  }

  @Test
  void anotherRepositoryStillGetsEveryChildAndBlob() {
    stub.clear();
    IndexCreator.Result result = create("multiarch-test/create-requests-elsewhere", "joined");
    assertEquals(3, count("PUT", "/manifests/sha256:"), stub.requests().toString());
    assertTrue(result.blobsMounted() > 0, "blobs of the same registry are mounted");
    RegistryClient direct = new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE);
    for (var entry : result.entries()) {
      assertTrue(direct.getManifest("multiarch-test/create-requests-elsewhere", entry.digest().toString()).isPresent());
    }
  }
}
