package io.github.multiarch.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create} against real registries: per-architecture images (pushed as per-platform tags, one of them
 * a Windows image with Docker media types) joined into an index, amended, and the errors that push nothing.
 */
class IndexCreatorTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static TestRegistry other;
  static String repository;

  @BeforeAll
  static void pushPerArchitectureImages() throws Exception {
    registry = TestRegistry.builder("create").start();
    other = TestRegistry.builder("create-other").start();
    repository = registry.repository("app");
    // linux images: tags 1-linux-amd64, 1-linux-arm64, 1-linux-s390x are single manifests
    BuildResult linux = TestImages.build(tmp.resolve("linux"), "1", List.of("linux/amd64", "linux/arm64",
        "linux/s390x"), "linux", 0);
    push(registry, linux.layout(), repository, "1");
    // a Windows image with Docker media types, tag w-windows-amd64
    Path file = Files.writeString(tmp.resolve("win.txt"), "windows");
    BuildResult windows = new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1"),
        ImageFormat.DOCKER, "scratch", List.of(PlatformRequest.of(Platform.of("platforms", "windows", "amd64", null,
            "10.0.20348.2655", List.of()))), List.of(new LayerSpec("w", List.of(new LayerFile(file, "/w.txt", null)))),
        ContainerSpec.empty(), Map.of(), Instant.EPOCH, tmp.resolve("windows/out"), false, tmp));
    push(registry, windows.layout(), repository, "w");
  }

  @AfterAll
  static void stop() {
    registry.close();
    other.close();
  }

  static void push(TestRegistry to, Path layout, String repo, String tag) {
    new LayoutPusher(client(to), EngineLog.NONE).push(new PushRequest(layout, null,
        ImageName.parse("image", to.host() + "/" + repo), List.of(tag), "{tag}-{platform}", Map.of(), 2));
  }

  static RegistryClient client(TestRegistry r) {
    return new RegistryClient(r.host(), r.credential("test"), r.options(), EngineLog.NONE);
  }

  static IndexCreator.Result create(TestRegistry to, String repo, List<String> refs, ImageFormat format,
      boolean amend, String tag) {
    List<SourceSpec> specs = refs.stream().map(SourceSpec::of).toList();
    List<ImageSource> sources = new ArrayList<>();
    for (SourceSpec spec : specs) {
      sources.add(ImageSources.parse("sources", spec.reference(), tmp, tmp.resolve("work"),
          host -> client(host.equals(registry.host()) ? registry : other)));
    }
    CreateRequest request = new CreateRequest(ImageName.parse("image", to.host() + "/" + repo), List.of(tag), specs,
        format, amend, false, List.of(), format == ImageFormat.OCI ? Map.of("org.opencontainers.image.title", "t")
        : Map.of());
    return new IndexCreator(client(to), EngineLog.NONE).create(request, sources);
  }

  static String ref(String tag) {
    return registry.host() + "/" + repository + ":" + tag;
  }

  @Test
  void joinsPerArchitectureImagesReadingEachPlatformFromItsConfig() {
    IndexCreator.Result result = create(registry, repository, List.of(ref("1-linux-amd64"), ref("1-linux-arm64"),
        ref("w-windows-amd64")), ImageFormat.OCI, false, "multi");
    List<String> platforms = result.entries().stream().map(d -> d.platform().describe()).toList();
    assertEquals(List.of("linux/amd64", "linux/arm64/v8", "windows/amd64 (os.version 10.0.20348.2655)"), platforms);
    assertEquals(MediaTypes.DOCKER_MANIFEST, result.entries().get(2).mediaType(), "the Windows child keeps its type");

    byte[] raw = Tools.skopeo(concat("inspect", registry.skopeoOptions(""), "--raw",
        "docker://" + ref("multi"))).check().stdoutBytes();
    assertEquals(result.index().digest(), io.github.multiarch.oci.Digest.sha256(raw), "the tag holds our bytes");
    String windows = Tools.skopeo(concat("inspect", registry.skopeoOptions(""), "--override-os", "windows",
        "--override-arch", "amd64", "--config", "--raw", "docker://" + ref("multi"))).check().stdout();
    assertTrue(windows.contains("\"os.version\":\"10.0.20348.2655\""), windows);
    String arm = Tools.skopeo(concat("inspect", registry.skopeoOptions(""), "--override-arch", "arm64", "--config",
        "--raw", "docker://" + ref("multi"))).check().stdout();
    assertTrue(arm.contains("\"architecture\":\"arm64\""), arm);
  }

  @Test
  void anExistingTagNeedsAmendWhichReplacesOnlyTheSamePlatform() {
    create(registry, repository, List.of(ref("1-linux-amd64"), ref("1-linux-arm64")), ImageFormat.OCI, false,
        "amendable");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> create(registry, repository,
        List.of(ref("1-linux-s390x")), ImageFormat.OCI, false, "amendable"));
    assertEquals("amend", e.parameter());
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());

    IndexCreator.Result amended = create(registry, repository, List.of(ref("1-linux-s390x")), ImageFormat.OCI, true,
        "amendable");
    assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/s390x"),
        amended.entries().stream().map(d -> d.platform().toString()).toList());
    ImageIndex index = ImageIndex.parse(client(registry).getManifest(repository, "amendable").orElseThrow().bytes(),
        null, "amended");
    assertEquals(3, index.manifests().size());
  }

  @Test
  void dockerFormatRefusesOciChildrenAndPushesNothing() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> create(registry, repository,
        List.of(ref("1-linux-amd64"), ref("w-windows-amd64")), ImageFormat.DOCKER, false, "docker-list"));
    assertEquals("format", e.parameter());
    assertTrue(e.getMessage().contains(ref("1-linux-amd64")), e.getMessage());
    assertFalse(client(registry).getManifest(repository, "docker-list").isPresent(), "nothing was pushed");
  }

  @Test
  void twoSourcesForOnePlatformAreRefused() {
    BuildResult again = TestImages.build(tmp.resolve("again"), "2", List.of("linux/amd64"), "again", 0);
    push(registry, again.layout(), repository, "2");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> create(registry, repository,
        List.of(ref("1-linux-amd64"), ref("2-linux-amd64")), ImageFormat.OCI, false, "dup"));
    assertTrue(e.getMessage().contains("two sources give linux/amd64"), e.getMessage());
    assertFalse(client(registry).getManifest(repository, "dup").isPresent());
  }

  @Test
  void anIndexSourceContributesItsEntriesAndLayoutsAndOtherRegistriesWork() {
    // target in another registry process: children and blobs are copied across
    String target = other.repository("joined");
    IndexCreator.Result result = create(other, target, List.of(ref("1"),
        "oci-layout:" + tmp.resolve("windows/out/oci") + ":1"), ImageFormat.OCI, false, "all");
    assertEquals(4, result.entries().size(), "three linux entries of the index and the Windows image");
    assertTrue(result.blobsCopied() > 0);
    for (Descriptor entry : result.entries()) {
      byte[] bytes = client(other).getManifest(target, entry.digest().toString()).orElseThrow().bytes();
      assertArrayEquals(bytes, client(registry).getManifest(repository, entry.digest().toString()).orElseThrow()
          .bytes(), "children are copied as exact bytes");
    }
    Tools.skopeo(concat("copy", other.skopeoOptions("src-"), "--all", "docker://" + other.host() + "/" + target
        + ":all", "oci:" + tmp.resolve("copied") + ":x")).check();
  }

  @Test
  void aMissingSourceIsAnError() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> create(registry, repository,
        List.of(ref("no-such-tag")), ImageFormat.OCI, false, "never"));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertEquals("sources", e.parameter(), "the error names the parameter the missing image came from");
  }

  /** {@code command}, then the registry's options (skopeo takes them after the command), then the rest. */
  private static String[] concat(String command, List<String> options, String... rest) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(options);
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }
}
