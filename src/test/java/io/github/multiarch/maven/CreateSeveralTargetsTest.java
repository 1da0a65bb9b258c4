package io.github.multiarch.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code create} with {@code additionalImages}: the same index at each target, and a failing target named. */
class CreateSeveralTargetsTest {
  @TempDir
  static Path tmp;
  static TestRegistry first;
  static TestRegistry second;
  static StubProxy stub;
  static BuildResult built;

  @BeforeAll
  static void start() {
    first = TestRegistry.builder("create-targets-first").start();
    second = TestRegistry.builder("create-targets-second").start();
    stub = StubProxy.start(second.baseUrl());
    built = TestImages.build(tmp.resolve("built"), "1.0", List.of("linux/amd64", "linux/arm64"), "create targets", 0);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {stub, first, second}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the next one still closes
      }
    }
  }

  static CreateMojo create(String image, String... additional) {
    CreateMojo m = new CreateMojo();
    m.image = image;
    m.additionalImages = List.of(additional);
    m.sources = new ArrayList<>(List.of(new SourceConfig("oci-layout:" + built.layout() + ":1.0")));
    m.format = "oci";
    m.insecureRegistries = List.of(first.host(), second.host(), stub.host());
    m.environment = Map.of();
    return m;
  }

  static byte[] raw(TestRegistry r, String repository, String tag) {
    return new RegistryClient(r.host(), null, r.options(), EngineLog.NONE).getManifest(repository, tag)
        .orElseThrow(() -> new AssertionError(r.host() + "/" + repository + ":" + tag + " is missing")).bytes();
  }

  @Test
  void theSameIndexIsCreatedAtEveryTarget() throws Exception {
    create(first.host() + "/it/created:1.0", second.host() + "/it/created", first.host() + "/it/copy").execute();
    byte[] index = raw(first, "it/created", "1.0");
    assertArrayEquals(index, raw(second, "it/created", "1.0"));
    assertArrayEquals(index, raw(first, "it/copy", "1.0"));
  }

  @Test
  void aFailingTargetIsNamedAndKeepsItsTagWhileTheOthersComplete() throws Exception {
    create(first.host() + "/it/refused:old", second.host() + "/it/refused").execute();
    Digest old = Digest.sha256(raw(second, "it/refused", "old"));
    stub.rule(StubProxy.refusing(r -> r.method().equals("PUT") && r.path().startsWith("/v2/it/refused/manifests/"),
        StubProxy.error(403, "DENIED", "stub: no manifests")));
    try {
      MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> create(
          first.host() + "/it/refused:1.0", stub.host() + "/it/refused").execute());
      assertTrue(e.getMessage().contains("push failed at 1 of 2 targets; " + stub.host() + "/it/refused: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("complete: " + first.host() + "/it/refused"), e.getMessage());
    } finally {
      stub.rule(StubProxy.PASS_THROUGH);
    }
    raw(first, "it/refused", "1.0");
    assertTrue(new RegistryClient(second.host(), null, second.options(), EngineLog.NONE)
        .headManifest("it/refused", "1.0").isEmpty(), "the failed target got the tag");
    assertEquals(old, Digest.sha256(raw(second, "it/refused", "old")));
  }
}
