package io.github.multiarch.build;

import static io.github.multiarch.build.MultiPlatformBuilderTest.assertNothingWritten;
import static io.github.multiarch.build.MultiPlatformBuilderTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BaseLayouts.BaseImage;
import io.github.multiarch.build.MultiPlatformBuilderTest.Built;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.OciSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds on a multi-platform base held in a local OCI layout (and in a layout tar). */
class LayoutBaseBuildTest {
  @TempDir
  Path tmp;
  Path project;
  Path out;
  BaseLayouts base;
  BaseImage amd64;
  BaseImage arm64;
  BaseImage armV6;
  BaseImage armV7;
  BaseImage dockerAmd64;
  BaseImage dockerArm64;
  BaseImage s390x;

  @BeforeEach
  void setUp() throws IOException {
    project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(project.resolve("app.txt"), "our application");
    out = project.resolve("target/multiarch");
    base = new BaseLayouts(project.resolve("base"), tmp.resolve("scratch"));
    amd64 = base.image(p("linux/amd64"), ImageFormat.OCI, 2);
    arm64 = base.image(p("linux/arm64"), ImageFormat.OCI, 2);
    armV6 = base.image(p("linux/arm/v6"), ImageFormat.OCI, 1);
    armV7 = base.image(p("linux/arm/v7"), ImageFormat.OCI, 1);
    // an attestation first, as BuildKit lists them after, and an index entry as a decoy
    base.index("1.0", ImageFormat.OCI, List.of(base.attestation(amd64.manifest()), BaseLayouts.entry(amd64),
        BaseLayouts.entry(arm64), BaseLayouts.entry(armV6), BaseLayouts.entry(armV7),
        base.attestation(arm64.manifest())));
    dockerAmd64 = base.image(p("linux/amd64"), ImageFormat.DOCKER, 1);
    dockerArm64 = base.image(p("linux/arm64"), ImageFormat.DOCKER, 2);
    base.index("docker", ImageFormat.DOCKER, List.of(BaseLayouts.entry(dockerAmd64), BaseLayouts.entry(dockerArm64)));
    s390x = base.image(p("linux/s390x"), ImageFormat.OCI, 1);
    base.tag("single", s390x.manifest());
  }

  static Platform p(String text) {
    return Platform.parse("platforms", text);
  }

  String from(String tag) {
    return "oci-layout:" + base.root() + ":" + tag;
  }

  BuildRequest request(String from, ImageFormat format, String... platforms) {
    return request(from, format, null, platforms);
  }

  BuildRequest request(String from, ImageFormat format, ContainerSpec container, String... platforms) {
    List<PlatformRequest> requests = new ArrayList<>();
    for (String platform : platforms) {
      requests.add(PlatformRequest.of(p(platform)));
    }
    return request(from, format, container, requests, out);
  }

  BuildRequest request(String from, ImageFormat format, ContainerSpec container, List<PlatformRequest> platforms,
      Path output) {
    LayerSpec app = new LayerSpec("app", List.of(new LayerFile(project.resolve("app.txt"), "/app/app.txt", null)));
    return new BuildRequest("example.com/app", List.of("1.0"), format, from, platforms, List.of(app), container,
        Map.of(), Instant.parse("2026-01-01T00:00:00Z"), output, false, project);
  }

  static BuildResult build(BuildRequest request) {
    return new MultiPlatformBuilder(EngineLog.NONE).build(request);
  }

  static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  static List<String> keys(JsonNode object) {
    List<String> list = new ArrayList<>();
    object.fieldNames().forEachRemaining(list::add);
    return list;
  }

  /** The manifest of {@code built} for entry {@code i} starts with the base's layers, all present here. */
  static void assertStartsWithBase(Built built, int i, BaseImage baseImage, String layerMediaType) {
    ImageManifest manifest = built.manifests().get(i);
    List<Descriptor> baseLayers = baseImage.model().layers();
    assertEquals(baseLayers.size() + 1, manifest.layers().size(), "base layers plus ours");
    for (int l = 0; l < baseLayers.size(); l++) {
      Descriptor layer = manifest.layers().get(l);
      assertEquals(baseLayers.get(l).digest(), layer.digest(), "layer " + l + " of " + baseImage.platform());
      assertEquals(baseLayers.get(l).size(), layer.size());
      assertEquals(layerMediaType, layer.mediaType());
      assertTrue(built.layout().hasBlob(layer.digest()), "base blob copied into the output layout");
      assertEquals(layer.digest(), io.github.multiarch.oci.Digest.sha256(
          built.layout().readBlob(layer, Integer.MAX_VALUE)));
    }
    JsonNode config = built.configs().get(i);
    List<String> baseDiffIds = strings(baseImage.config().get("rootfs").get("diff_ids"));
    List<String> diffIds = strings(config.get("rootfs").get("diff_ids"));
    assertEquals(baseDiffIds, diffIds.subList(0, baseDiffIds.size()));
    assertEquals(baseDiffIds.size() + 1, diffIds.size());
  }

  @Test
  void eachPlatformStartsWithItsBaseImage() throws IOException {
    ContainerSpec container = new ContainerSpec(List.of("/app/run"), null, Map.of("APP", "1"), null, null,
        List.of("8080"), Map.of("app.label", "ours"));
    BuildResult result = build(request(from("1.0"), ImageFormat.OCI, container,
        "linux/amd64", "linux/arm64", "linux/arm/v7"));
    Built built = read(result.layout(), "1.0");
    assertEquals(3, built.manifests().size());
    assertStartsWithBase(built, 0, amd64, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(built, 1, arm64, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(built, 2, armV7, MediaTypes.OCI_LAYER_GZIP);

    String[] slugs = {"linux-amd64", "linux-arm64", "linux-arm-v7"};
    for (int i = 0; i < 3; i++) {
      JsonNode config = built.configs().get(i);
      JsonNode run = config.get("config");
      assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "BASE_PLATFORM=" + slugs[i], "APP=1"), strings(run.get("Env")), "base env kept, ours added");
      assertEquals("/base", run.get("WorkingDir").asText(), "kept from the base");
      assertEquals("SIGTERM", run.get("StopSignal").asText(), "a field we do not model survives");
      assertEquals(List.of("/app/run"), strings(run.get("Entrypoint")));
      assertFalse(run.has("Cmd"), "the base's Cmd went with its entrypoint");
      assertEquals(List.of("22/tcp", "8080/tcp"), keys(run.get("ExposedPorts")));
      assertEquals("{\"app.label\":\"ours\",\"base.label\":\"" + slugs[i] + "\"}", run.get("Labels").toString());
      assertEquals("2026-01-01T00:00:00Z", config.get("created").asText());
      JsonNode history = config.get("history");
      assertEquals("base layer 0", history.get(0).get("created_by").asText());
      assertEquals(config.get("rootfs").get("diff_ids").size(), history.size());
      // config and entry agree
      JsonNode entry = built.indexJson().get("manifests").get(i).get("platform");
      assertEquals(entry.get("architecture"), config.get("architecture"));
      assertEquals(entry.get("os"), config.get("os"));
      assertEquals(entry.get("variant"), config.get("variant"));
    }
    assertEquals("v7", built.configs().get(2).get("variant").asText());
    assertEquals(3, built.index().manifests().size(), "no attestation entry is carried over");

    // our layer is the same blob in all three
    Descriptor ours = built.manifests().get(0).layers().get(2);
    assertEquals(ours.digest(), built.manifests().get(1).layers().get(2).digest());
    assertEquals(ours.digest(), built.manifests().get(2).layers().get(1).digest());

    // the metadata says which base entry was chosen
    JsonNode meta = OciJson.parse(Files.readAllBytes(result.metadata()), "metadata");
    String chosen = meta.get("platforms").get(2).get("base").asText();
    assertTrue(chosen.contains(armV7.manifest().digest().toString()), chosen);
    assertTrue(chosen.contains("linux/arm/v7"), chosen);
  }

  @Test
  void withoutAnEntrypointTheBasesCmdStays() {
    Built built = read(build(request(from("1.0"), ImageFormat.OCI, "linux/amd64")).layout(), "1.0");
    assertEquals(List.of("/bin/sh"), strings(built.configs().get(0).get("config").get("Cmd")));
  }

  @Test
  void armV6GetsTheV6Image() {
    Built built = read(build(request(from("1.0"), ImageFormat.OCI, "linux/arm/v6", "linux/arm/v7")).layout(), "1.0");
    assertStartsWithBase(built, 0, armV6, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(built, 1, armV7, MediaTypes.OCI_LAYER_GZIP);
    assertEquals("v6", built.configs().get(0).get("variant").asText());
  }

  @Test
  void aV6OnlyBaseServesArmV7AndTheImageStillSaysV7() {
    BaseLayouts only = new BaseLayouts(tmp.resolve("v6only"), tmp.resolve("scratch2"));
    BaseImage v6 = only.image(p("linux/arm/v6"), ImageFormat.OCI, 1);
    only.index("latest", ImageFormat.OCI, List.of(BaseLayouts.entry(v6)));
    Built built = read(build(request("oci-layout:" + only.root(), ImageFormat.OCI, "linux/arm/v7")).layout(), "1.0");
    assertStartsWithBase(built, 0, v6, MediaTypes.OCI_LAYER_GZIP);
    assertEquals("v7", built.configs().get(0).get("variant").asText(), "config agrees with the entry");
    assertEquals("v7", built.index().manifests().get(0).platform().variant());
  }

  @Test
  void aV7OnlyBaseDoesNotServeArmV6() throws IOException {
    BaseLayouts only = new BaseLayouts(tmp.resolve("v7only"), tmp.resolve("scratch2"));
    BaseImage v7 = only.image(p("linux/arm/v7"), ImageFormat.OCI, 1);
    only.index("latest", ImageFormat.OCI, List.of(BaseLayouts.entry(v7)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request("oci-layout:" + only.root() + ":latest", ImageFormat.OCI, "linux/arm/v6")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("no image for linux/arm/v6"), e.getMessage());
    assertTrue(e.getMessage().contains("it has: linux/arm/v7"), e.getMessage());
    assertNothingWritten(out);
  }

  @Test
  void aBaseLackingAPlatformIsRefusedListingWhatItHas() throws IOException {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request(from("1.0"), ImageFormat.OCI, "linux/amd64", "linux/ppc64le")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("no image for linux/ppc64le"), e.getMessage());
    assertTrue(e.getMessage().contains(base.root().toString()), "names the base: " + e.getMessage());
    assertTrue(e.getMessage().contains("linux/amd64, linux/arm64/v8, linux/arm/v6, linux/arm/v7"), e.getMessage());
    assertFalse(e.getMessage().contains("unknown"), "attestations are not platforms: " + e.getMessage());
    assertNothingWritten(out);
  }

  @Test
  void dockerTypedBaseLayersAreRelabeledInAnOciBuild() {
    Built built = read(build(request(from("docker"), ImageFormat.OCI, "linux/amd64", "linux/arm64")).layout(),
        "1.0");
    assertStartsWithBase(built, 0, dockerAmd64, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(built, 1, dockerArm64, MediaTypes.OCI_LAYER_GZIP);
    for (ImageManifest m : built.manifests()) {
      assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
      assertEquals(MediaTypes.OCI_CONFIG, m.config().mediaType());
      m.layers().forEach(l -> assertFalse(MediaTypes.isDocker(l.mediaType()), l.mediaType()));
    }
    assertEquals(MediaTypes.OCI_INDEX, built.index().mediaType());
  }

  @Test
  void ociBaseLayersAreRelabeledInADockerBuild() {
    Built built = read(build(request(from("1.0"), ImageFormat.DOCKER, "linux/amd64", "linux/arm/v7")).layout(),
        "1.0");
    assertStartsWithBase(built, 0, amd64, MediaTypes.DOCKER_LAYER_GZIP);
    assertStartsWithBase(built, 1, armV7, MediaTypes.DOCKER_LAYER_GZIP);
    assertEquals(MediaTypes.DOCKER_LIST, built.index().mediaType());
    for (ImageManifest m : built.manifests()) {
      assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
      assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
    }
  }

  @Test
  void aZstdBaseCannotBeBuiltAsDocker() throws IOException {
    ImageManifest zstd = new ImageManifest(MediaTypes.OCI_MANIFEST, amd64.model().config(),
        amd64.model().layers().stream().map(l -> l.withMediaType(MediaTypes.OCI_LAYER_ZSTD)).toList(), Map.of());
    Descriptor manifest = base.layout().writeBlob(MediaTypes.OCI_MANIFEST, zstd.toBytes());
    base.index("zstd", ImageFormat.OCI, List.of(manifest.withPlatform(p("linux/amd64"))));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request(from("zstd"), ImageFormat.DOCKER, "linux/amd64")));
    assertEquals("format", e.parameter());
    assertTrue(e.getMessage().contains(MediaTypes.OCI_LAYER_ZSTD), e.getMessage());
    assertTrue(e.getMessage().contains("format oci"), e.getMessage());
    assertNothingWritten(out);
    // an OCI build keeps the zstd layer as it is
    Built built = read(build(request(from("zstd"), ImageFormat.OCI, "linux/amd64")).layout(), "1.0");
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, built.manifests().get(0).layers().get(0).mediaType());
  }

  @Test
  void aLayoutTarBaseWorksTheSame() throws IOException {
    Path tar = tmp.resolve("base.tar");
    LayoutArchive.write(base.layout(), tar);
    BuildResult fromLayout = build(request(from("1.0"), ImageFormat.OCI, null,
        List.of(PlatformRequest.of(p("linux/amd64")), PlatformRequest.of(p("linux/arm/v7"))), tmp.resolve("a")));
    BuildResult fromArchive = build(request("oci-archive:" + tar + ":1.0", ImageFormat.OCI, null,
        List.of(PlatformRequest.of(p("linux/amd64")), PlatformRequest.of(p("linux/arm/v7"))), tmp.resolve("b")));
    assertEquals(fromLayout.index().digest(), fromArchive.index().digest(), "same base content, same image");
    Built built = read(fromArchive.layout(), "1.0");
    assertStartsWithBase(built, 0, amd64, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(built, 1, armV7, MediaTypes.OCI_LAYER_GZIP);
  }

  @Test
  void aLayoutTarBaseLackingAPlatformLeavesNothingBehind() throws IOException {
    Path tar = tmp.resolve("base.tar");
    LayoutArchive.write(base.layout(), tar);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request("oci-archive:" + tar + ":1.0", ImageFormat.OCI, "linux/s390x")));
    assertEquals("from", e.parameter());
    assertNothingWritten(out);
  }

  @Test
  void aMissingLayoutTarIsRefused() throws IOException {
    Path tar = tmp.resolve("absent.tar");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request("oci-archive:" + tar, ImageFormat.OCI, "linux/amd64")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains(tar.toString()), e.getMessage());
    assertNothingWritten(out);
  }

  @Test
  void aSingleImageBaseForAnotherPlatformFailsClearly() throws IOException {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request(from("single"), ImageFormat.OCI, "linux/amd64")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("single image for linux/s390x"), e.getMessage());
    assertTrue(e.getMessage().contains("not for linux/amd64"), e.getMessage());
    assertNothingWritten(out);
  }

  @Test
  void aSingleImageBaseForTheSamePlatformWorks() {
    Built built = read(build(request(from("single"), ImageFormat.OCI, "linux/s390x")).layout(), "1.0");
    assertStartsWithBase(built, 0, s390x, MediaTypes.OCI_LAYER_GZIP);
  }

  @Test
  void aPlatformMayNameItsOwnBase() {
    List<PlatformRequest> platforms = List.of(
        new PlatformRequest(p("linux/amd64"), Map.of(), from("docker"), List.of()),
        PlatformRequest.of(p("linux/arm64")));
    Built built = read(build(request(from("1.0"), ImageFormat.OCI, null, platforms, out)).layout(), "1.0");
    assertStartsWithBase(built, 0, dockerAmd64, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(built, 1, arm64, MediaTypes.OCI_LAYER_GZIP);
  }

  @Test
  void aPlatformsOwnBaseIsBlamedOnPlatforms() throws IOException {
    List<PlatformRequest> platforms = List.of(
        new PlatformRequest(p("linux/amd64"), Map.of(), from("single"), List.of()));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request(from("1.0"), ImageFormat.OCI, null, platforms, out)));
    assertEquals("platforms", e.parameter());
    assertNothingWritten(out);
  }

  @Test
  void relativeLayoutPathsResolveAgainstTheBaseDirectory() {
    Built built = read(build(request("oci-layout:base:1.0", ImageFormat.OCI, "linux/arm64")).layout(), "1.0");
    assertStartsWithBase(built, 0, arm64, MediaTypes.OCI_LAYER_GZIP);
  }

  @Test
  void anUnknownTagInTheBaseIsRefusedListingTheTags() throws IOException {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request(from("9.9"), ImageFormat.OCI, "linux/amd64")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("'9.9'"), e.getMessage());
    assertTrue(e.getMessage().contains("1.0, docker, single"), e.getMessage());
    assertNothingWritten(out);
  }

  @Test
  void aBaseWithSeveralImagesNeedsATag() throws IOException {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> build(request("oci-layout:" + base.root(), ImageFormat.OCI, "linux/amd64")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains(":TAG"), e.getMessage());
    assertNothingWritten(out);
  }

  @Test
  void windowsBasesAreChosenByOsVersion() throws IOException {
    BaseLayouts windows = new BaseLayouts(tmp.resolve("windows"), tmp.resolve("scratch-w"));
    Platform ltsc2019 = Platform.of("p", "windows", "amd64", "", "10.0.17763.6189", List.of());
    Platform ltsc2022 = Platform.of("p", "windows", "amd64", "", "10.0.20348.2655", List.of());
    BaseImage w2019 = windows.image(ltsc2019, ImageFormat.DOCKER, 1);
    BaseImage w2022 = windows.image(ltsc2022, ImageFormat.DOCKER, 1);
    windows.index("ltsc", ImageFormat.DOCKER, List.of(BaseLayouts.entry(w2019), BaseLayouts.entry(w2022)));
    String from = "oci-layout:" + windows.root() + ":ltsc";

    // without an os.version: one image per os.version of the base, each entry and config carrying its own
    Built each = read(build(request(from, ImageFormat.OCI, "windows/amd64")).layout(), "1.0");
    assertEquals(2, each.index().manifests().size());
    assertStartsWithBase(each, 0, w2019, MediaTypes.OCI_LAYER_GZIP);
    assertStartsWithBase(each, 1, w2022, MediaTypes.OCI_LAYER_GZIP);
    assertEquals("10.0.17763.6189", each.index().manifests().get(0).platform().osVersion());
    assertEquals("10.0.20348.2655", each.configs().get(1).get("os.version").asText());

    Platform want = Platform.of("platforms", "windows", "amd64", "", "10.0.20348.2655", List.of());
    Built built = read(build(request(from, ImageFormat.OCI, null, List.of(PlatformRequest.of(want)), out))
        .layout(), "1.0");
    assertStartsWithBase(built, 0, w2022, MediaTypes.OCI_LAYER_GZIP);
    assertEquals("10.0.20348.2655", built.configs().get(0).get("os.version").asText());
    assertEquals("10.0.20348.2655", built.index().manifests().get(0).platform().osVersion());
  }

  @Test
  void aSingleWindowsBaseLendsItsOsVersion() {
    BaseLayouts windows = new BaseLayouts(tmp.resolve("windows"), tmp.resolve("scratch-w"));
    BaseImage w2022 = windows.image(Platform.of("p", "windows", "amd64", "", "10.0.20348.2655", List.of()),
        ImageFormat.OCI, 1);
    windows.index("ltsc2022", ImageFormat.OCI, List.of(BaseLayouts.entry(w2022)));
    Built built = read(build(request("oci-layout:" + windows.root() + ":ltsc2022", ImageFormat.OCI,
        "windows/amd64")).layout(), "1.0");
    JsonNode entry = built.indexJson().get("manifests").get(0).get("platform");
    assertEquals("10.0.20348.2655", entry.get("os.version").asText());
    assertEquals("10.0.20348.2655", built.configs().get(0).get("os.version").asText());
  }

  @Test
  void differentBasesGiveDifferentImages() {
    BuildResult onBase = build(request(from("1.0"), ImageFormat.OCI, null,
        List.of(PlatformRequest.of(p("linux/amd64"))), tmp.resolve("a")));
    BuildResult onScratch = build(request("scratch", ImageFormat.OCI, null,
        List.of(PlatformRequest.of(p("linux/amd64"))), tmp.resolve("b")));
    assertNotEquals(onBase.index().digest(), onScratch.index().digest());
  }

  @Test
  void outputOnABaseValidatesAgainstTheOciSchemas() throws IOException {
    BuildResult result = build(request(from("1.0"), ImageFormat.OCI, "linux/amd64", "linux/arm64", "linux/arm/v7"));
    assertEquals(9, OciSchemas.load().validateLayout(result.layout()));
    // and the hand-written base itself, attestations included
    assertTrue(OciSchemas.load().validateLayout(base.root()) > 9);
  }

  @Test
  void theBaseLayoutIsLeftUntouched() throws IOException {
    var before = MultiPlatformBuilderTest.allFiles(base.root());
    build(request(from("1.0"), ImageFormat.OCI, "linux/amd64", "linux/arm/v7"));
    var after = MultiPlatformBuilderTest.allFiles(base.root());
    assertEquals(before.keySet(), after.keySet());
    before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), k));
    assertTrue(OciLayout.open(base.root()).tags().contains("1.0"));
  }
}
