package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.Timings;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.image.RegistryStore;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.BlobCopier;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify on an image in a registry (the Debian docker-registry, or the one the environment names), after a push. */
class RegistryContentTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static String repository;
  static BuildResult built;
  static final CollectingLog log = new CollectingLog();

  @BeforeAll
  static void push() {
    registry = TestRegistry.startDefault("verify");
    repository = registry.repository("verify");
    List<PlatformRequest> platforms = List.of("linux/amd64", "linux/arm64", "linux/s390x").stream()
        .map(p -> new PlatformRequest(Platform.parse("p", p), Map.of(), null, List.of(new LayerSpec("hello",
            List.of(new LayerFile(Compilers.hello(p), "/hello", 0755)))))).toList();
    built = new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1.0"), ImageFormat.OCI,
        "scratch", platforms, List.of(), new ContainerSpec(List.of("/hello"), null, null, null, null, null, null),
        Map.of(), Instant.parse("2026-01-01T00:00:00Z"), tmp.resolve("out"), false, tmp));
    new LayoutPusher(client(), log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", registry.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static RegistryClient client() {
    return new RegistryClient(registry.host(), registry.credential("the test environment"), registry.options(), log);
  }

  @Test
  void verifiesAPushedImageIncludingTheSmokeRun() throws Exception {
    Path work = tmp.resolve("verify-work");
    List<VerifyReport> reports;
    VerifyRequest request = new VerifyRequest(List.of(Platform.parse("r", "linux/arm64"),
        Platform.parse("r", "linux/s390x")), "<requiredPlatforms>", BinaryCheck.FAIL, List.of(),
        new VerifyRequest.Smoke(List.of(), Pattern.compile("hello from linux/"), Duration.ofSeconds(60),
            work.resolve("smoke")));
    try (ImageContent source = ImageContent.of(new RegistryStore(client(),
        ImageName.parse("image", registry.host() + "/" + repository), work), "1.0")) {
      assertEquals(registry.host() + "/" + repository + ":1.0", source.describe());
      reports = new ImageVerifier(log, SmokeRunner.forHost()).verify(source, request);
      try (var files = Files.list(work)) {
        assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("registry-blobs-")).count(),
            "one download directory while verifying");
      }
    }
    VerifyReport report = reports.get(0);
    assertEquals(CheckStatus.PASS, report.overall(), report.findings().toString());
    assertEquals("OCI image index " + built.index().digest(), report.kind());
    assertEquals(CheckStatus.PASS, report.row("linux/s390x").result(VerifyReport.Check.SMOKE));
    try (var files = Files.list(work)) {
      assertEquals(List.of("smoke"), files.map(f -> f.getFileName().toString()).toList(),
          "the downloaded blobs are deleted on close");
    }
    try (var files = Files.list(work.resolve("smoke"))) {
      assertFalse(files.findAny().isPresent(), "the unpacked roots are deleted");
    }
  }

  @Test
  void byDigestToo() {
    try (ImageContent source = ImageContent.of(new RegistryStore(client(),
        ImageName.parse("image", registry.host() + "/" + repository), tmp.resolve("by-digest")), built.index().digest().toString())) {
      assertTrue(source.describe().endsWith("@" + built.index().digest()));
      VerifyReport report = new ImageVerifier(log, SmokeRunner.forHost()).verify(source,
          new VerifyRequest(List.of(), "", BinaryCheck.FAIL, List.of(), null)).get(0);
      assertEquals(CheckStatus.PASS, report.overall(), report.findings().toString());
    }
  }

  @Test
  void aTagThatIsNotThereIsAnError() {
    try (ImageContent source = ImageContent.of(new RegistryStore(client(),
        ImageName.parse("image", registry.host() + "/" + repository), tmp.resolve("missing")), "2.0")) {
      MultiarchException e = assertThrows(MultiarchException.class, source::roots);
      assertTrue(e.getMessage().endsWith(repository + ":2.0 does not exist in the registry"), e.getMessage());
    }
  }

  @Test
  void aManifestWhoseSizeIsNotItsDescriptorsIsRefused() throws Exception {
    try (RegistryStore store = new RegistryStore(client(), ImageName.parse("image", registry.host() + "/"
        + repository), tmp.resolve("wrong-size"))) {
      Descriptor index = store.resolve("1.0").descriptor();
      Descriptor claimsMore = new Descriptor(index.mediaType(), index.digest(), index.size() + 1);
      MultiarchException e = assertThrows(MultiarchException.class, () -> store.manifest(claimsMore));
      assertEquals("manifest " + index.digest() + " is " + index.size() + " bytes, its descriptor says "
          + (index.size() + 1), e.getMessage());
    }
  }

  @Test
  void aBlobAlreadyReadIsCopiedFromTheDownloadNotFetchedAgain() throws Exception {
    try (RegistryStore store = new RegistryStore(client(), ImageName.parse("image", registry.host() + "/"
        + repository), tmp.resolve("reuse"))) {
      Descriptor child = ImageIndex.parse(store.resolve("1.0").bytes(), MediaTypes.OCI_INDEX, "index")
          .manifests().get(0);
      Descriptor config = ImageManifest.parse(store.manifest(child).bytes(), child.mediaType(), "manifest").config();
      byte[] read = store.smallBlob(config, "config", 1 << 20);
      BlobCopier.LocalBlob local = store.localBlob(config);
      assertFalse(local.temporary(), "the download of the read is reused, not a second temporary download");
      assertTrue(local.file().startsWith(tmp.resolve("reuse")), local.file().toString());
      assertArrayEquals(read, Files.readAllBytes(local.file()));
    }
  }

  @Test
  void blobsReadFromManyThreadsAtOnceAreEachFetchedOnceAndReadWhole() throws Exception {
    Timings requests = new Timings();
    EngineLog counting = new CollectingLog() {
      @Override
      public Timings timings() {
        return requests;
      }
    };
    RegistryClient client = new RegistryClient(registry.host(), registry.credential("the test environment"),
        registry.options(), counting);
    try (RegistryStore store = new RegistryStore(client, ImageName.parse("image", registry.host() + "/"
        + repository), tmp.resolve("threads"))) {
      List<Descriptor> configs = ImageIndex.parse(store.resolve("1.0").bytes(), MediaTypes.OCI_INDEX, "index")
          .manifests().stream()
          .map(child -> ImageManifest.parse(store.manifest(child).bytes(), child.mediaType(), "manifest").config())
          .toList();
      assertEquals(3, configs.stream().map(Descriptor::digest).distinct().count(), "one config per platform");
      List<Descriptor> reads = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        reads.addAll(configs);
      }
      List<byte[]> read = Parallel.map(reads, reads.size(), "test-reader", "reading configs", config -> {
        try {
          return store.smallBlob(config, "config", 1 << 20);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      for (int i = 0; i < reads.size(); i++) {
        assertEquals(reads.get(i).digest(), Digest.sha256(read.get(i)), "read " + i + " is its blob, whole");
      }
      for (Descriptor config : configs) {
        long fetches = requests.phases().stream()
            .filter(phase -> phase.name().startsWith("GET ") && phase.name().contains("/blobs/" + config.digest()))
            .count();
        assertEquals(1, fetches, config.digest() + " read by 4 threads at once is fetched once");
      }
    }
  }
}
