package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.check.VerifyReport.Finding;
import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verify checks on layouts made by the real builder, and on layouts made by hand to be wrong. */
class ImageVerifierTest {
  static final List<String> FIVE = List.of("linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le",
      "linux/s390x");

  @TempDir
  Path temp;

  final CollectingLog log = new CollectingLog();

  // ------------------------------------------------------------------------------------------ helpers

  /** Builds an image with one layer per platform holding {@code /hello}: the binary of the map's value platform. */
  Path build(Map<String, String> binaryOf, List<LayerSpec> common, ImageFormat format) {
    List<PlatformRequest> platforms = new ArrayList<>();
    binaryOf.forEach((platform, binaryPlatform) -> platforms.add(new PlatformRequest(
        Platform.parse("platforms", platform), Map.of(), null, List.of(new LayerSpec("hello",
        List.of(new LayerFile(Compilers.hello(binaryPlatform), "/hello", 0755)))))));
    Path out = temp.resolve("out-" + System.nanoTime());
    BuildResult result = new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(
        "registry.example.com/test/hello", List.of("1.0"), format, "scratch", platforms, common,
        new ContainerSpec(List.of("/hello"), null, null, null, null, null, null), Map.of(),
        Instant.parse("2026-01-01T00:00:00Z"), out, false, temp));
    return result.layout();
  }

  Path buildNative(List<String> platforms) {
    Map<String, String> binaries = new LinkedHashMap<>();
    platforms.forEach(p -> binaries.put(p, p));
    return build(binaries, List.of(), ImageFormat.OCI);
  }

  VerifyReport verify(Path layout, VerifyRequest request) {
    return verify(layout, request, SmokeRunner.forHost());
  }

  VerifyReport verify(Path layout, VerifyRequest request, SmokeRunner runner) {
    try (ImageContent source = ImageContent.of(new io.github.multiarch.image.LayoutStore(OciLayout.open(layout)))) {
      List<VerifyReport> reports = new ImageVerifier(log, runner).verify(source, request);
      assertEquals(1, reports.size());
      return reports.get(0);
    }
  }

  static VerifyRequest request(List<String> required) {
    return new VerifyRequest(required.stream().map(p -> Platform.parse("requiredPlatforms", p)).toList(),
        "<requiredPlatforms>", BinaryCheck.FAIL, List.of(), null);
  }

  VerifyRequest smoke(List<String> required, String expect, int timeoutSeconds, List<String> command) {
    return new VerifyRequest(request(required).requiredPlatforms(), "<requiredPlatforms>", BinaryCheck.FAIL,
        List.of(), new VerifyRequest.Smoke(command, expect == null ? null : Pattern.compile(expect),
        Duration.ofSeconds(timeoutSeconds), temp.resolve("smoke")));
  }

  static String failures(VerifyReport report) {
    return report.failures().stream().map(Finding::toString).collect(Collectors.joining("\n"));
  }

  static Finding only(VerifyReport report, CheckStatus status) {
    List<Finding> found = report.findings().stream().filter(f -> f.status() == status).toList();
    assertEquals(1, found.size(), "expected one " + status + " finding: " + report.findings());
    return found.get(0);
  }

  static void assertRow(VerifyReport report, String subject, CheckStatus required, CheckStatus consistency,
      CheckStatus binaries, CheckStatus smoke) {
    Row row = report.row(subject);
    assertTrue(row != null, "no row " + subject + " in " + report.table());
    assertEquals(required, row.result(Check.REQUIRED), subject + " required");
    assertEquals(consistency, row.result(Check.CONSISTENCY), subject + " consistency");
    assertEquals(binaries, row.result(Check.BINARIES), subject + " binaries");
    assertEquals(smoke, row.result(Check.SMOKE), subject + " smoke");
  }

  // ------------------------------------------------------------------------------------ good images

  @Test
  void fiveNativePlatformsPassEveryCheckIncludingTheSmokeRun() {
    Path layout = buildNative(FIVE);
    VerifyReport report = verify(layout, smoke(FIVE, "hello from linux/.*", 60, List.of()));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
    assertTrue(report.findings().isEmpty(), report.findings().toString());
    for (String p : List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/ppc64le", "linux/s390x")) {
      assertRow(report, p, CheckStatus.PASS, CheckStatus.PASS, CheckStatus.PASS, CheckStatus.PASS);
      String details = String.join("; ", report.row(p).details());
      assertTrue(details.contains("1 executable for "), details);
      String expected = p.equals("linux/arm64/v8") ? "linux/arm64" : p;
      assertTrue(details.contains("\"hello from " + expected + "\""), "the smoke run's output: " + details);
    }
    assertTrue(report.kind().startsWith("OCI image index sha256:"), report.kind());
    List<String> table = report.table();
    assertTrue(table.get(1).contains("PLATFORM") && table.get(1).contains("SMOKE"), table.get(1));
    assertTrue(table.get(table.size() - 1).contains("result: PASS"), table.toString());
    assertTrue(log.text().contains("smoke run of linux/arm64/v8 (qemu-aarch64-static): /hello"), log.text());
  }

  @Test
  void theRequiredPlatformsDefaultToWellFormedEntries() {
    VerifyReport report = verify(TestImages.build(temp, "1.0", "seed").layout(), request(List.of()));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
    assertTrue(report.row("index").details().get(0).contains("no required platforms given: 3 platforms, all "
        + "well-formed"), report.row("index").details().toString());
    assertNull(report.row("linux/amd64").result(Check.REQUIRED));
  }

  @Test
  void arm64MatchesArm64V8AndAliases() {
    Path layout = buildNative(List.of("linux/amd64", "linux/arm64/v8"));
    VerifyReport report = verify(layout, request(List.of("linux/arm64", "linux/aarch64", "linux/x86_64")));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
  }

  @Test
  void aDockerManifestListPasses() {
    Map<String, String> binaries = new LinkedHashMap<>();
    binaries.put("linux/amd64", "linux/amd64");
    binaries.put("linux/arm/v7", "linux/arm/v7");
    VerifyReport report = verify(build(binaries, List.of(), ImageFormat.DOCKER), request(List.of("linux/arm/v7")));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
    assertTrue(report.kind().startsWith("Docker manifest list"), report.kind());
  }

  // ------------------------------------------------------------------------------------ required

  @Test
  void aMissingRequiredPlatformFailsListingWhatIsMissingAndWhatIsThere() {
    Path layout = TestImages.build(temp, "1.0", "seed").layout(); // amd64, arm64, arm/v7
    VerifyReport report = verify(layout, request(List.of("linux/amd64", "linux/s390x", "linux/arm/v8")));
    assertEquals(CheckStatus.FAIL, report.overall());
    String message = only(report, CheckStatus.FAIL).message();
    assertTrue(message.startsWith("missing required platforms linux/s390x, linux/arm/v8"), message);
    assertTrue(message.contains("the index has linux/amd64, linux/arm64/v8, linux/arm/v7"), message);
    assertTrue(message.contains("(the index has linux/arm/v7, which a linux/arm/v8 node would also run"), message);
    assertRow(report, "linux/s390x", CheckStatus.FAIL, null, null, null);
    assertRow(report, "linux/amd64", CheckStatus.PASS, CheckStatus.PASS, CheckStatus.PASS, null);
    assertEquals(List.of("not required"), report.row("linux/arm64/v8").details().subList(0, 1));
  }

  // ----------------------------------------------------------------------------------- binaries

  @Test
  void anAmd64BinaryInTheArm64ImageFailsNamingTheFile() {
    Map<String, String> binaries = new LinkedHashMap<>();
    binaries.put("linux/amd64", "linux/amd64");
    binaries.put("linux/arm64", "linux/amd64"); // the wrong binary
    Path layout = build(binaries, List.of(), ImageFormat.OCI);

    VerifyReport report = verify(layout, request(List.of()));
    assertEquals(CheckStatus.FAIL, report.overall());
    Finding f = only(report, CheckStatus.FAIL);
    assertEquals("linux/arm64/v8", f.subject());
    assertEquals(Check.BINARIES, f.check());
    assertTrue(f.message().startsWith("/hello is built for amd64 (ELF 64-bit LSB executable, Advanced Micro "
        + "Devices X86-64), expected arm64 (linux/arm64/v8) (layer 0 of 1, sha256:"), f.message());
    assertRow(report, "linux/amd64", null, CheckStatus.PASS, CheckStatus.PASS, null);
    assertRow(report, "linux/arm64/v8", null, CheckStatus.PASS, CheckStatus.FAIL, null);

    VerifyReport warned = verify(layout, new VerifyRequest(List.of(), "", BinaryCheck.WARN, List.of(), null));
    assertEquals(CheckStatus.WARN, warned.overall());
    assertTrue(warned.failures().isEmpty());
    assertTrue(only(warned, CheckStatus.WARN).message().startsWith("/hello is built for amd64"));

    VerifyReport off = verify(layout, new VerifyRequest(List.of(), "", BinaryCheck.OFF, List.of(), null));
    assertEquals(CheckStatus.PASS, off.overall());
    assertRow(off, "linux/arm64/v8", null, CheckStatus.PASS, CheckStatus.SKIP, null);

    VerifyReport ignored = verify(layout, new VerifyRequest(List.of(), "", BinaryCheck.FAIL,
        List.of(PathGlob.parse("binaryCheckIgnore", "/hel*")), null));
    assertEquals(CheckStatus.PASS, ignored.overall(), failures(ignored));
    assertTrue(String.join(";", ignored.row("linux/arm64/v8").details()).contains("1 ignored by binaryCheckIgnore"));
  }

  @Test
  void filesDeletedByAWhiteoutAreNotJudged() throws IOException {
    // a common layer brings an amd64 tool, a later per-platform layer deletes it for arm64 with a whiteout
    Path files = Files.createDirectories(temp.resolve("files"));
    Path whiteout = Files.createFile(files.resolve(".wh.tool"));
    List<LayerSpec> common = List.of(new LayerSpec("tools", List.of(new LayerFile(Compilers.hello("linux/amd64"),
        "/opt/tool", 0755))));
    List<PlatformRequest> platforms = List.of(
        new PlatformRequest(Platform.parse("p", "linux/arm64"), Map.of(), null, List.of(
            new LayerSpec("hello", List.of(new LayerFile(Compilers.hello("linux/arm64"), "/hello", 0755))),
            new LayerSpec("remove-tool", List.of(new LayerFile(whiteout, "/opt/.wh.tool", 0644))))),
        new PlatformRequest(Platform.parse("p", "linux/s390x"), Map.of(), null, List.of(
            new LayerSpec("hello", List.of(new LayerFile(Compilers.hello("linux/s390x"), "/hello", 0755))))));
    Path layout = new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1"), ImageFormat.OCI,
        "scratch", platforms, common, ContainerSpec.empty(), Map.of(), null, temp.resolve("wh"), false, temp)).layout();

    VerifyReport report = verify(layout, request(List.of()));
    assertRow(report, "linux/arm64/v8", null, CheckStatus.PASS, CheckStatus.PASS, null);
    Finding f = only(report, CheckStatus.FAIL); // s390x keeps the amd64 tool
    assertEquals("linux/s390x", f.subject());
    assertTrue(f.message().startsWith("/opt/tool is built for amd64"), f.message());
  }

  @Test
  void thirtyTwoBitArmInAnArm64ImageIsAWarning() {
    Map<String, String> binaries = Map.of("linux/arm64", "linux/arm/v7");
    VerifyReport report = verify(build(binaries, List.of(), ImageFormat.OCI), request(List.of()));
    assertEquals(CheckStatus.WARN, report.overall(), failures(report));
    assertTrue(only(report, CheckStatus.WARN).message().contains("only where the CPU and kernel still execute "
        + "32-bit code"));
  }

  @Test
  void aHardFloatBinaryInAnArmV5ImageFails() {
    VerifyReport report = verify(build(Map.of("linux/arm/v5", "linux/arm/v7"), List.of(), ImageFormat.OCI),
        request(List.of()));
    assertTrue(only(report, CheckStatus.FAIL).message().contains("hard-float ABI code needs VFP registers"),
        failures(report));
  }

  @Test
  void mismatchesBeyondTenAreCounted() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("many"));
    for (int i = 0; i < 13; i++) {
      Files.copy(Compilers.hello("linux/amd64"), dir.resolve("tool" + i));
    }
    VerifyReport report = verify(build(Map.of("linux/ppc64le", "linux/ppc64le"),
        List.of(new LayerSpec("tools", List.of(new LayerFile(dir, "/opt/tools", 0755)))), ImageFormat.OCI),
        request(List.of()));
    assertEquals(11, report.failures().size());
    assertEquals("and 3 more files built for other CPUs", report.failures().get(10).message());
    assertTrue(report.row("linux/ppc64le").details().contains("14 executables (13 for other CPUs)"),
        report.row("linux/ppc64le").details().toString());
  }

  // -------------------------------------------------------------------------------- consistency

  @Test
  void anEntryWhoseConfigSaysAnotherPlatformFails() {
    HandLayout hand = new HandLayout(temp.resolve("hand"));
    byte[] arm64 = Tars.layer().file("hello", Compilers.hello("linux/arm64"), 0755).tar();
    byte[] amd64 = Tars.layer().file("hello", Compilers.hello("linux/amd64"), 0755).tar();
    hand.index("1", List.of(
        hand.image("linux/amd64", "linux/amd64", List.of(amd64), List.of("/hello")),
        hand.image("linux/arm64", "linux/amd64", List.of(amd64), List.of("/hello")), // says amd64 under arm64
        hand.image("linux/arm/v6", "linux/arm/v7", List.of(arm64), List.of("/hello"))));

    VerifyReport report = verify(hand.layout.root(), request(List.of("linux/arm64")));
    List<Finding> failures = report.failures();
    Finding arm64Config = failures.stream().filter(f -> f.subject().equals("linux/arm64/v8")
        && f.check() == Check.CONSISTENCY).findFirst().orElseThrow(() -> new AssertionError(failures(report)));
    assertTrue(arm64Config.message().startsWith("the index entry says linux/arm64/v8, its config sha256:"),
        arm64Config.message());
    assertTrue(arm64Config.message().contains(" says linux/amd64 (a node pulling linux/arm64/v8 would get an image "
        + "for linux/amd64)"), arm64Config.message());
    assertTrue(failures.stream().anyMatch(f -> f.subject().equals("linux/arm64/v8") && f.check() == Check.BINARIES),
        "the amd64 binary under the arm64 entry is found as well: " + failures(report));
    assertTrue(failures.stream().anyMatch(f -> f.subject().equals("linux/arm/v6")
        && f.message().contains("says linux/arm/v7")), "the variant counts: " + failures(report));
    assertRow(report, "linux/amd64", null, CheckStatus.PASS, CheckStatus.PASS, null);
  }

  @Test
  void blobsMustMatchTheirDescriptors() throws IOException {
    Path layout = TestImages.build(temp, "1.0", List.of("linux/amd64", "linux/arm64", "linux/arm/v7"), "seed", 0)
        .layout();
    OciLayout oci = OciLayout.open(layout);
    ImageIndex index = ImageIndex.parse(oci.readBlob(oci.resolve("1.0"), OciJson.MAX_MANIFEST_BYTES),
        MediaTypes.OCI_INDEX, "index");
    ImageManifest amd64 = manifest(oci, index.manifests().get(0));
    ImageManifest arm64 = manifest(oci, index.manifests().get(1));
    ImageManifest arm = manifest(oci, index.manifests().get(2));
    // amd64: its own layer corrupted (same size); arm64: its own layer one byte longer; arm/v7: its config gone
    Path amd64Layer = oci.blobPath(amd64.layers().get(1).digest());
    byte[] bytes = Files.readAllBytes(amd64Layer);
    bytes[bytes.length / 2] ^= 1;
    Files.write(amd64Layer, bytes);
    Files.write(oci.blobPath(arm64.layers().get(1).digest()), new byte[] {0}, StandardOpenOption.APPEND);
    Files.delete(oci.blobPath(arm.config().digest()));

    VerifyReport report = verify(layout, request(List.of()));
    String all = failures(report);
    assertEquals(3, report.failures().size(), all);
    assertTrue(all.contains("linux/amd64: consistency: layer 1 (sha256:"), all);
    assertTrue(all.contains("does not match its digest: the content is corrupt or was replaced"), all);
    long size = arm64.layers().get(1).size();
    assertTrue(all.contains("linux/arm64/v8: consistency: layer 1 (sha256:") && (all.contains("is longer than the "
        + size + " bytes its descriptor says") || all.contains("is " + (size + 1) + " bytes, its descriptor says "
        + size)), all);
    assertTrue(all.contains("linux/arm/v7: consistency: config " + arm.config().digest() + " is missing from the "
        + "layout"), all);
  }

  private static ImageManifest manifest(OciLayout oci, Descriptor d) {
    return ImageManifest.parse(oci.readBlob(d, OciJson.MAX_MANIFEST_BYTES), d.mediaType(), "manifest");
  }

  @Test
  void aMissingManifestAndAWrongDiffIdAreReportedWithEverythingElse() throws IOException {
    HandLayout hand = new HandLayout(temp.resolve("hand"));
    byte[] tar = Tars.layer().file("hello", Compilers.hello("linux/s390x"), 0755).tar();
    Descriptor good = hand.image("linux/s390x", "linux/s390x", List.of(tar), List.of("/hello"));
    hand.editConfig = c -> ((ArrayNode) c.get("rootfs").get("diff_ids")).set(0, "sha256:" + "0".repeat(64));
    Descriptor wrongDiffId = hand.image("linux/ppc64le", "linux/ppc64le", List.of(tar), List.of("/hello"));
    hand.editConfig = c -> { };
    Descriptor gone = hand.image("linux/arm64", "linux/arm64", List.of(tar), List.of("/hello"));
    hand.index("1", List.of(good, wrongDiffId, gone));
    Files.delete(hand.layout.blobPath(gone.digest()));

    VerifyReport report = verify(hand.layout.root(), request(List.of()));
    String all = failures(report);
    assertTrue(all.contains("linux/arm64/v8: consistency: manifest " + gone.digest() + " is missing from the layout"),
        all);
    assertTrue(all.contains("linux/ppc64le: consistency: layer 0 (sha256:") && all.contains("the config's "
        + "rootfs.diff_ids[0] says sha256:000000"), all);
    assertTrue(all.contains("linux/ppc64le: binaries: /hello is built for s390x"), all);
    assertTrue(all.contains("linux/arm64/v8") && !all.contains("linux/s390x"), all);
  }

  @Test
  void aFileNamedAsTheImageRootFails() {
    // what a build given <target>/</target> for a file used to write: a regular file with an empty name
    HandLayout hand = new HandLayout(temp.resolve("hand"));
    byte[] tar = Tars.layer().file("hello", Compilers.hello("linux/s390x"), 0755).file("", "replaces the root").tar();
    hand.index("1", List.of(hand.image("linux/s390x", "linux/s390x", List.of(tar), List.of("/hello"))));
    VerifyReport report = verify(hand.layout.root(), request(List.of()));
    String all = failures(report);
    assertTrue(all.contains("entry '' is a regular file named as the image root"), all);
  }

  @Test
  void duplicatePlatformsFail() {
    HandLayout hand = new HandLayout(temp.resolve("hand"));
    byte[] tar = Tars.layer().file("a", "x").tar();
    hand.index("1", List.of(hand.image("linux/arm64", "linux/arm64", List.of(tar), List.of("/a")),
        hand.image("linux/arm64/v8", "linux/arm64", List.of(Tars.layer().file("b", "y").tar()), List.of("/b"))));
    VerifyReport report = verify(hand.layout.root(), request(List.of()));
    Finding f = only(report, CheckStatus.FAIL);
    assertEquals("index", f.subject());
    assertTrue(f.message().startsWith("linux/arm64/v8 appears 2 times (entry 0 sha256:"), f.message());
  }

  @Test
  void mediaTypeFamiliesStayTogether() {
    HandLayout hand = new HandLayout(temp.resolve("hand"));
    byte[] tar = Tars.layer().file("a", "x").tar();
    Descriptor docker = hand.image("linux/amd64", "linux/amd64", List.of(tar), List.of("/a"), MediaTypes.DOCKER_MANIFEST,
        MediaTypes.DOCKER_CONFIG, MediaTypes.OCI_LAYER_GZIP); // an OCI layer in a Docker manifest
    Descriptor oci = hand.image("linux/s390x", "linux/s390x", List.of(tar), List.of("/a"));
    hand.index("1", List.of(docker, oci)); // a Docker manifest in an OCI index

    VerifyReport report = verify(hand.layout.root(), request(List.of()));
    String all = failures(report);
    assertEquals(2, report.failures().size(), all);
    assertTrue(all.contains("linux/amd64: consistency: media type " + MediaTypes.DOCKER_MANIFEST + " in OCI image "
        + "index (expected " + MediaTypes.OCI_MANIFEST), all);
    assertTrue(all.contains("linux/amd64: consistency: layer 0 has media type " + MediaTypes.OCI_LAYER_GZIP
        + " in a Docker image manifest"), all);
  }

  @Test
  void attestationsAreSkippedAndMalformedPlatformsReported() {
    HandLayout hand = new HandLayout(temp.resolve("hand"));
    byte[] tar = Tars.layer().file("a", "x").tar();
    Descriptor amd64 = hand.image("linux/amd64", "linux/amd64", List.of(tar), List.of("/a"));
    Descriptor attestation = amd64.withPlatform(Platform.lenient("unknown", "unknown", "", "", null));
    Descriptor bareArm = hand.image("linux/arm/v7", "linux/arm/v7", List.of(tar), List.of("/a"))
        .withPlatform(Platform.lenient("linux", "arm", "", "", null));
    hand.index("1", List.of(amd64, attestation, bareArm));
    // the model always writes arm's variant: write the bare arm entry into the index by hand
    OciLayout oci = hand.layout;
    Descriptor top = oci.resolve("1");
    String json = new String(oci.readBlob(top, OciJson.MAX_MANIFEST_BYTES), java.nio.charset.StandardCharsets.UTF_8)
        .replace("\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"", "\"architecture\":\"arm\",\"os\":\"linux\"")
        .replace("\"architecture\":\"amd64\",\"os\":\"linux\"}", "\"architecture\":\"amd65\",\"os\":\"linux\"}");
    Descriptor edited = oci.writeBlob(MediaTypes.OCI_INDEX, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    oci.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, List.of(edited.withAnnotations(Map.of(OciLayout.REF_NAME,
        "1"))), Map.of()));

    VerifyReport report = verify(oci.root(), request(List.of()));
    String all = report.findings().toString();
    assertTrue(report.row("index").details().contains("1 attestation manifest (unknown/unknown) not checked"), all);
    assertTrue(all.contains("entry 0 (sha256:") && all.contains("not a valid platform: unknown architecture 'amd65'"),
        all);
    assertTrue(all.contains("architecture arm without a variant"), all);
    assertTrue(report.row("linux/arm/v7").result(Check.CONSISTENCY) == CheckStatus.WARN, report.table().toString());
  }

  @Test
  void aSingleImageIsVerifiedByItsConfigsPlatform() {
    HandLayout hand = new HandLayout(temp.resolve("single"));
    Descriptor image = hand.image("linux/arm64", "linux/arm64",
        List.of(Tars.layer().file("hello", Compilers.hello("linux/arm64"), 0755).tar()), List.of("/hello"));
    hand.layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, List.of(image.withPlatform(null)
        .withAnnotations(Map.of(OciLayout.REF_NAME, "1"))), Map.of()));
    VerifyReport report = verify(hand.layout.root(), request(List.of("linux/arm64")));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
    assertTrue(report.kind().startsWith("OCI image manifest"), report.kind());
    assertRow(report, "linux/arm64/v8", CheckStatus.PASS, CheckStatus.PASS, CheckStatus.PASS, null);
    assertTrue(report.row("image") != null);
  }

  @Test
  void aSharedLayerIsReadOnce() {
    Path layout = TestImages.build(temp, "1.0", TestImages.THREE_PLATFORMS, "seed", 1 << 20).layout();
    verify(layout, new VerifyRequest(List.of(), "", BinaryCheck.FAIL, List.of(), null));
    long reads = log.lines().stream().filter(l -> l.startsWith("DEBUG multiarch: read layer ")).count();
    assertEquals(2 + 3, reads, "two shared layers once, three own layers: " + log.text());
  }

  // ------------------------------------------------------------------------------------- smoke run

  @Test
  void theSmokeRunDecidesByExitCodeAndExpectedOutput() {
    Path layout = buildNative(List.of("linux/amd64", "linux/arm64"));
    VerifyReport wrongOutput = verify(layout, smoke(List.of(), "hello from windows", 60, List.of()));
    assertEquals(2, wrongOutput.failures().size());
    assertTrue(wrongOutput.failures().get(1).message().equals("/hello: exited with 0 but its output does not match "
        + "/hello from windows/: \"hello from linux/arm64\""), failures(wrongOutput));

    VerifyReport command = verify(layout, smoke(List.of(), "^hello from linux/(amd|arm)64\\s*$", 60,
        List.of("/hello", "ignored-argument")));
    assertEquals(CheckStatus.PASS, command.overall(), "smokeCommand instead of the entrypoint: " + failures(command));

    VerifyReport notThere = verify(layout, smoke(List.of(), null, 60, List.of("hello")));
    assertTrue(notThere.failures().get(0).message().equals("hello: 'hello' is not an executable file in the image "
        + "(PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)"), failures(notThere));
  }

  @Test
  void aProgramThatDoesNotEndIsKilledAtTheTimeout() {
    Path layout = build(Map.of("linux/arm64", "linux/arm64"), List.of(new LayerSpec("spin", List.of(new LayerFile(
        Compilers.hello(Compilers.forPlatform("linux/arm64"), Compilers.Output.SPIN), "/spin", 0755)))),
        ImageFormat.OCI);
    long start = System.nanoTime();
    VerifyReport report = verify(layout, smoke(List.of(), null, 2, List.of("/spin")));
    assertTrue((System.nanoTime() - start) / 1e9 < 30);
    assertTrue(only(report, CheckStatus.FAIL).message().startsWith("/spin: did not finish within 2 s (killed)"),
        failures(report));
  }

  @Test
  void missingQemuFailsSayingWhatToInstall() {
    Path layout = buildNative(List.of("linux/amd64", "linux/arm64"));
    SmokeRunner noQemu = new SmokeRunner("amd64", List.of(temp));
    VerifyReport report = verify(layout, smoke(List.of(), null, 60, List.of()), noQemu);
    Finding f = only(report, CheckStatus.FAIL);
    assertEquals("linux/arm64/v8", f.subject());
    assertTrue(f.message().contains("qemu-aarch64-static is not installed, so linux/arm64/v8 cannot be run on this "
        + "amd64 host: install the Debian package qemu-user-static"), f.message());
    assertRow(report, "linux/amd64", null, CheckStatus.PASS, CheckStatus.PASS, CheckStatus.PASS);
  }

  @Test
  void dynamicallyLinkedProgramsRunAgainstTheImagesOwnLibraries() throws IOException {
    // each image gets its platform's dynamic loader and C library, from the cross toolchain (arm64) or the host
    // (amd64): the program runs only if they are found inside the image root
    Path arm64Libs = Path.of("/usr/aarch64-linux-gnu/lib");
    Compilers.require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
    Path amd64Libs = Path.of("/lib/x86_64-linux-gnu");
    List<PlatformRequest> platforms = List.of(
        new PlatformRequest(Platform.parse("p", "linux/arm64"), Map.of(), null, List.of(new LayerSpec("libc", List.of(
            new LayerFile(arm64Libs.resolve("ld-linux-aarch64.so.1"), "/lib/ld-linux-aarch64.so.1", 0755),
            new LayerFile(arm64Libs.resolve("libc.so.6"), "/lib/aarch64-linux-gnu/libc.so.6", 0755),
            new LayerFile(Compilers.hello(Compilers.forPlatform("linux/arm64"), Compilers.Output.PIE),
                "/usr/bin/hello", 0755))))),
        new PlatformRequest(Platform.parse("p", "linux/amd64"), Map.of(), null, List.of(new LayerSpec("libc", List.of(
            new LayerFile(amd64Libs.resolve("ld-linux-x86-64.so.2").toRealPath(), "/lib64/ld-linux-x86-64.so.2", 0755),
            new LayerFile(amd64Libs.resolve("libc.so.6").toRealPath(), "/lib/x86_64-linux-gnu/libc.so.6", 0755),
            new LayerFile(Compilers.hello(Compilers.forPlatform("linux/amd64"), Compilers.Output.PIE),
                "/usr/bin/hello", 0755))))));
    Path layout = new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1"), ImageFormat.OCI,
        "scratch", platforms, List.of(), new ContainerSpec(List.of("hello"), null, null, null, null, null, null),
        Map.of(), null, temp.resolve("dyn"), false, temp)).layout();
    VerifyReport report = verify(layout, smoke(List.of(), "^hello from linux/(arm|amd)64$", 60, List.of()));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
    assertTrue(String.join(";", report.row("linux/arm64/v8").details()).contains("3 executables for arm64"));
  }

  @Test
  void scriptsRunThroughTheirInterpreterInsideTheImage() throws IOException {
    Path script = Files.writeString(temp.resolve("run.sh"), "#!/opt/hello\nnot read by hello\n");
    Path layout = build(Map.of("linux/s390x", "linux/s390x"), List.of(new LayerSpec("script", List.of(
        new LayerFile(script, "/usr/local/bin/run", 0755),
        new LayerFile(Compilers.hello("linux/s390x"), "/opt/hello", 0755)))), ImageFormat.OCI);
    VerifyReport report = verify(layout, smoke(List.of(), "hello from linux/s390x", 60, List.of("run")));
    assertEquals(CheckStatus.PASS, report.overall(), failures(report));
  }

  @Test
  void theSmokeRunRefusesLayersThatEscapeTheRoot() throws IOException {
    HandLayout hand = new HandLayout(temp.resolve("escape"));
    byte[] hello = Files.readAllBytes(Compilers.hello("linux/amd64"));
    byte[] arm64Hello = Files.readAllBytes(Compilers.hello("linux/arm64"));
    hand.index("1", List.of(
        hand.image("linux/amd64", "linux/amd64", List.of(Tars.layer().file("hello", hello, 0755).tar(),
            Tars.layer().file("../../escaped-dotdot", "x").tar()), List.of("/hello")),
        hand.image("linux/arm64", "linux/arm64", List.of(Tars.layer().file("hello", arm64Hello, 0755)
            .symlink("tmp", "../../../../../../../../../tmp").tar(),
            Tars.layer().file("tmp/escaped-symlink", "x").tar()), List.of("/hello"))));
    Path smokeDir = temp.resolve("smoke");
    VerifyReport report = verify(hand.layout.root(), smoke(List.of(), null, 60, List.of()));
    String all = failures(report);
    assertEquals(2, report.failures().size(), all);
    assertTrue(all.contains("linux/amd64: smoke run: unpacking refused layer 1 (sha256:") && all.contains(
        "entry '../../escaped-dotdot' has a '..' component"), all);
    assertTrue(all.contains("linux/arm64/v8: smoke run: unpacking refused layer 1 (sha256:") && all.contains(
        "entry 'tmp/escaped-symlink': the path climbs above the image root"), all);
    assertFalse(Files.exists(temp.resolve("escaped-dotdot")));
    assertFalse(Files.exists(Path.of("/tmp/escaped-symlink")));
    try (var left = Files.list(smokeDir)) {
      assertEquals(0, left.count(), "the unpacked roots are deleted");
    }
    assertRow(report, "linux/amd64", null, CheckStatus.PASS, CheckStatus.PASS, CheckStatus.FAIL);
  }

  @Test
  void failuresAreCollectedIntoOneException() {
    Path layout = TestImages.build(temp, "1.0", "seed").layout();
    VerifyReport report = verify(layout, request(List.of("linux/s390x")));
    VerificationFailedException e = assertThrows(VerificationFailedException.class,
        () -> VerificationFailedException.throwIfFailed(List.of(report)));
    assertTrue(e.getMessage().contains("failed verification with 1 failure:\n  - index: required platforms: missing "
        + "required platform linux/s390x; the index has linux/amd64, linux/arm64/v8, linux/arm/v7 (required: "
        + "<requiredPlatforms>)"), e.getMessage());
    VerificationFailedException.throwIfFailed(List.of(verify(layout, request(List.of()))));
  }
}
