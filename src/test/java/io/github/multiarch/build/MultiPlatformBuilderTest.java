package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.OciSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-platform build from scratch, driven by a {@link BuildRequest} as the Maven adapter makes it. */
class MultiPlatformBuilderTest {
  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/arm/v7");

  @TempDir
  Path tmp;
  Path project;
  Path out;
  final List<String> logged = Collections.synchronizedList(new ArrayList<>());

  /** A mutable stand-in for the POM, turned into a {@link BuildRequest}. */
  final class Req {
    String image = "registry.example.com/team/hello";
    List<String> tags = List.of("1.0", "latest");
    ImageFormat format = ImageFormat.OCI;
    String from = "scratch";
    List<PlatformRequest> platforms = new ArrayList<>();
    List<LayerSpec> commonLayers = new ArrayList<>();
    ContainerSpec container = ContainerSpec.empty();
    Map<String, String> indexAnnotations = Map.of();
    Instant creationTime = CREATED;
    Path output = out;
    boolean tarball;
    Path layerCache;

    Req() {
      PLATFORMS.forEach(p -> platforms.add(PlatformRequest.of(Platform.parse("platforms", p))));
      commonLayers.add(commonLayer());
      commonLayers.add(binaryLayer());
    }

    BuildRequest toRequest() {
      return new BuildRequest(image, tags, format, from, platforms, commonLayers, container, indexAnnotations,
          creationTime, output, tarball, project, null, layerCache);
    }
  }

  LayerSpec commonLayer() {
    return new LayerSpec("common", List.of(new LayerFile(project.resolve("common"), "/app", null)));
  }

  LayerSpec binaryLayer() {
    return new LayerSpec("binary", List.of(
        new LayerFile(Path.of(project + "/bin/{platform}/hello"), "/usr/local/bin/hello", null)));
  }

  @BeforeEach
  void project() throws IOException {
    project = Files.createDirectories(tmp.resolve("project"));
    out = tmp.resolve("project/target/multiarch");
    Files.createDirectories(project.resolve("common/conf"));
    Files.writeString(project.resolve("common/conf/app.properties"), "greeting=hello\n");
    Files.writeString(project.resolve("common/README"), "shared by every platform\n");
    for (String slug : List.of("linux-amd64", "linux-arm64", "linux-arm-v7")) {
      Path bin = Files.createDirectories(project.resolve("bin/" + slug));
      Path hello = Files.writeString(bin.resolve("hello"), "ELF for " + slug);
      Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  BuildResult build(Req req) {
    return new MultiPlatformBuilder(log()).build(req.toRequest());
  }

  EngineLog log() {
    return new EngineLog() {
      @Override
      public void info(String message) {
        logged.add(message);
      }

      @Override
      public void warn(String message) {
        logged.add(message);
      }

      @Override
      public void debug(String message) {
        logged.add(message);
      }
    };
  }

  /** What a built layout holds, read back the way a consumer would. */
  record Built(OciLayout layout, Descriptor indexDescriptor, ImageIndex index, JsonNode indexJson,
      List<ImageManifest> manifests, List<JsonNode> configs) {}

  static Built read(Path layoutDir, String tag) {
    OciLayout layout = OciLayout.open(layoutDir);
    Descriptor top = layout.resolve(tag);
    byte[] indexBytes = layout.readBlob(top, OciJson.MAX_MANIFEST_BYTES);
    ImageIndex index = ImageIndex.parse(indexBytes, top.mediaType(), "index");
    List<ImageManifest> manifests = new ArrayList<>();
    List<JsonNode> configs = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      ImageManifest m = ImageManifest.parse(layout.readBlob(entry, OciJson.MAX_MANIFEST_BYTES), null, "m");
      manifests.add(m);
      configs.add(OciJson.parse(layout.readBlob(m.config(), OciJson.MAX_MANIFEST_BYTES), "config"));
    }
    return new Built(layout, top, index, OciJson.parse(indexBytes, "index"), manifests, configs);
  }

  static List<Path> blobFiles(Path layoutDir) throws IOException {
    try (Stream<Path> walk = Files.walk(layoutDir.resolve("blobs"))) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static Map<String, byte[]> allFiles(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  static Map<String, byte[]> layerFiles(OciLayout layout, Descriptor layer) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(layout.openBlob(layer.digest()));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        files.put(e.getName(), tar.readAllBytes());
      }
    }
    return files;
  }

  // ---------------------------------------------------------------- a good build

  @Test
  void indexHasOneEntryPerPlatformWithTheRightPlatformFields() {
    BuildResult result = build(new Req());
    Built built = read(result.layout(), "1.0");
    assertEquals(MediaTypes.OCI_INDEX, built.index().mediaType());
    assertEquals(3, built.index().manifests().size());
    List<String> platforms = built.index().manifests().stream().map(d -> d.platform().toString()).toList();
    assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"), platforms);

    JsonNode entries = built.indexJson().get("manifests");
    assertEquals(OciJson.parse("{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(), "x"),
        entries.get(0).get("platform"));
    assertEquals("v8", entries.get(1).get("platform").get("variant").asText());
    assertEquals("arm64", entries.get(1).get("platform").get("architecture").asText());
    assertEquals("v7", entries.get(2).get("platform").get("variant").asText());
    assertEquals("arm", entries.get(2).get("platform").get("architecture").asText());
    for (JsonNode entry : entries) {
      assertEquals(MediaTypes.OCI_MANIFEST, entry.get("mediaType").asText());
      assertFalse(entry.get("platform").has("features"));
      assertFalse(entry.has("annotations"), "ref.name only in index.json; no entry annotations configured");
    }
  }

  @Test
  void everyConfigAgreesWithItsIndexEntry() {
    Built built = read(build(new Req()).layout(), "1.0");
    for (int i = 0; i < 3; i++) {
      JsonNode entryPlatform = built.indexJson().get("manifests").get(i).get("platform");
      JsonNode config = built.configs().get(i);
      assertEquals(entryPlatform.get("os"), config.get("os"));
      assertEquals(entryPlatform.get("architecture"), config.get("architecture"));
      assertEquals(entryPlatform.get("variant"), config.get("variant"), "variant of entry " + i);
      ImageManifest m = built.manifests().get(i);
      assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
      assertEquals(MediaTypes.OCI_CONFIG, m.config().mediaType());
      assertEquals(2, m.layers().size());
      // diff_ids list one id per layer, in order
      assertEquals(2, config.get("rootfs").get("diff_ids").size());
    }
    assertFalse(built.configs().get(0).has("variant"));
    assertEquals("v7", built.configs().get(2).get("variant").asText());
  }

  @Test
  void theCommonLayerIsSharedAndPerPlatformLayersDiffer() throws IOException {
    BuildResult result = build(new Req());
    Built built = read(result.layout(), "1.0");
    Descriptor common = built.manifests().get(0).layers().get(0);
    for (ImageManifest m : built.manifests()) {
      assertEquals(common.digest(), m.layers().get(0).digest(), "the common layer is the same blob everywhere");
      assertEquals(MediaTypes.OCI_LAYER_GZIP, m.layers().get(0).mediaType());
      assertEquals(MediaTypes.OCI_LAYER_GZIP, m.layers().get(1).mediaType());
    }
    List<Digest> binaries = built.manifests().stream().map(m -> m.layers().get(1).digest()).distinct().toList();
    assertEquals(3, binaries.size(), "one binary layer per platform");
    assertFalse(binaries.contains(common.digest()));
    // 1 common layer + 3 binary layers + 3 configs + 3 manifests + 1 index, each stored once
    List<Path> blobs = blobFiles(result.layout());
    assertEquals(11, blobs.size(), blobs.toString());
    assertEquals(1, blobs.stream().filter(p -> p.getFileName().toString().equals(common.digest().hex())).count());

    // each binary layer holds its platform's file
    assertEquals("ELF for linux-arm-v7", new String(
        layerFiles(built.layout(), built.manifests().get(2).layers().get(1)).get("usr/local/bin/hello"),
        StandardCharsets.UTF_8));
    assertEquals("ELF for linux-arm64", new String(
        layerFiles(built.layout(), built.manifests().get(1).layers().get(1)).get("usr/local/bin/hello"),
        StandardCharsets.UTF_8));
    assertTrue(layerFiles(built.layout(), common).containsKey("app/conf/app.properties"));
  }

  @Test
  void layerDigestsInTheManifestMatchTheBlobsAndDiffIdsTheTars() throws IOException {
    Built built = read(build(new Req()).layout(), "1.0");
    for (int i = 0; i < 3; i++) {
      ImageManifest m = built.manifests().get(i);
      JsonNode diffIds = built.configs().get(i).get("rootfs").get("diff_ids");
      for (int l = 0; l < m.layers().size(); l++) {
        Descriptor layer = m.layers().get(l);
        Path blob = built.layout().blobPath(layer.digest());
        assertEquals(Files.size(blob), layer.size());
        assertEquals(layer.digest(), Digest.sha256(Files.readAllBytes(blob)));
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
          tar = in.readAllBytes();
        }
        assertEquals(Digest.sha256(tar).toString(), diffIds.get(l).asText());
      }
    }
  }

  @Test
  void indexJsonNamesEveryTagAndTheDigestFileHoldsTheIndexDigest() throws IOException {
    BuildResult result = build(new Req());
    OciLayout layout = OciLayout.open(result.layout());
    ImageIndex top = layout.readIndexJson();
    assertEquals(2, top.manifests().size());
    assertEquals(List.of("1.0", "latest"), layout.tags());
    for (Descriptor d : top.manifests()) {
      assertEquals(result.index().digest(), d.digest());
      assertEquals(result.index().size(), d.size());
      assertEquals(MediaTypes.OCI_INDEX, d.mediaType());
      assertEquals(1, d.annotations().size());
      assertTrue(d.annotations().containsKey(OciLayout.REF_NAME));
    }
    assertEquals(result.index().digest() + "\n",
        Files.readString(out.resolve(MultiPlatformBuilder.DIGEST_FILE)));
    assertEquals(out.resolve("oci"), result.layout());
    assertEquals(List.of("1.0", "latest"), result.tags());
    // the index blob is exactly the bytes its digest names
    byte[] indexBytes = Files.readAllBytes(layout.blobPath(result.index().digest()));
    assertEquals(result.index().digest(), Digest.sha256(indexBytes));
    assertEquals(indexBytes.length, result.index().size());
    assertFalse(new String(indexBytes, StandardCharsets.UTF_8).contains(OciLayout.REF_NAME),
        "ref.name belongs in index.json only");
  }

  @Test
  void duplicateTagsAreWrittenOnce() {
    Req req = new Req();
    req.tags = List.of("1.0", " 1.0 ", "latest", "1.0");
    BuildResult result = build(req);
    assertEquals(List.of("1.0", "latest"), result.tags());
    assertEquals(List.of("1.0", "latest"), OciLayout.open(result.layout()).tags());
  }

  @Test
  void metadataDescribesTheBuild() throws IOException {
    BuildResult result = build(new Req());
    assertEquals(out.resolve(MultiPlatformBuilder.METADATA_FILE), result.metadata());
    JsonNode meta = OciJson.parse(Files.readAllBytes(result.metadata()), "metadata");
    assertEquals("registry.example.com/team/hello", meta.get("image").asText());
    assertEquals("1.0", meta.get("tags").get(0).asText());
    assertEquals("latest", meta.get("tags").get(1).asText());
    assertEquals("oci", meta.get("format").asText());
    assertEquals(MediaTypes.OCI_INDEX, meta.get("mediaType").asText());
    assertEquals(result.index().digest().toString(), meta.get("indexDigest").asText());
    assertEquals(result.index().size(), meta.get("indexSize").asLong());
    assertEquals(result.layout().toString(), meta.get("layout").asText());
    assertFalse(meta.has("tarball"));
    JsonNode platforms = meta.get("platforms");
    assertEquals(3, platforms.size());
    Built built = read(result.layout(), "latest");
    for (int i = 0; i < 3; i++) {
      JsonNode p = platforms.get(i);
      Descriptor entry = built.index().manifests().get(i);
      assertEquals(entry.platform().toString(), p.get("platform").asText());
      assertEquals(entry.platform().os(), p.get("os").asText());
      assertEquals(entry.platform().architecture(), p.get("architecture").asText());
      assertEquals(entry.digest().toString(), p.get("manifestDigest").asText());
      assertEquals(entry.size(), p.get("manifestSize").asLong());
      assertEquals(built.manifests().get(i).config().digest().toString(), p.get("configDigest").asText());
      assertEquals(2, p.get("layers").asInt());
      assertEquals(built.manifests().get(i).layers().stream().mapToLong(Descriptor::size).sum(),
          p.get("layersSize").asLong());
      assertEquals("scratch", p.get("base").asText());
    }
    assertFalse(platforms.get(0).has("variant"));
    assertEquals("v8", platforms.get(1).get("variant").asText());
    assertEquals("v7", platforms.get(2).get("variant").asText());

    // and the result object says the same
    assertEquals(3, result.images().size());
    BuildResult.PlatformImage arm = result.images().get(2);
    assertEquals(Platform.parse("p", "linux/arm/v7"), arm.platform());
    assertEquals(built.index().manifests().get(2).digest(), arm.manifest().digest());
    assertEquals(built.manifests().get(2).config().digest(), arm.configDigest());
    assertEquals(2, arm.layerCount());
  }

  @Test
  void buildingTwiceGivesTheSameDigests() throws IOException {
    Req first = new Req();
    first.output = tmp.resolve("out-1");
    Req second = new Req();
    second.output = tmp.resolve("out-2");
    BuildResult a = build(first);
    BuildResult b = build(second);
    assertEquals(a.index().digest(), b.index().digest());
    Map<String, byte[]> filesA = allFiles(a.layout());
    Map<String, byte[]> filesB = allFiles(b.layout());
    assertEquals(filesA.keySet(), filesB.keySet());
    filesA.forEach((name, bytes) -> assertArrayEquals(bytes, filesB.get(name), name));
  }

  @Test
  void anotherCreationTimeGivesAnotherDigest() {
    Req first = new Req();
    first.output = tmp.resolve("out-1");
    Req second = new Req();
    second.output = tmp.resolve("out-2");
    second.creationTime = CREATED.plusSeconds(60);
    assertNotEquals(build(first).index().digest(), build(second).index().digest());
  }

  @Test
  void creationTimeIsTheConfigsCreatedAndEveryFilesTime() throws IOException {
    Req req = new Req();
    req.creationTime = Instant.parse("2025-06-30T08:15:00Z");
    Built built = read(build(req).layout(), "1.0");
    for (JsonNode config : built.configs()) {
      assertEquals("2025-06-30T08:15:00Z", config.get("created").asText());
      for (JsonNode h : config.get("history")) {
        assertEquals("2025-06-30T08:15:00Z", h.get("created").asText());
      }
    }
    try (InputStream in = new GZIPInputStream(built.layout().openBlob(built.manifests().get(0).layers().get(0).digest()));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      int count = 0;
      while ((e = tar.getNextEntry()) != null) {
        assertEquals(req.creationTime, e.getLastModifiedTime().toInstant(), e.getName());
        count++;
      }
      assertTrue(count > 0);
    }
  }

  @Test
  void noCreationTimeMeansTheEpoch() {
    Req req = new Req();
    req.creationTime = null;
    Built built = read(build(req).layout(), "1.0");
    assertEquals("1970-01-01T00:00:00Z", built.configs().get(0).get("created").asText());
  }

  @Test
  void historyNamesEachLayer() {
    Built built = read(build(new Req()).layout(), "1.0");
    JsonNode history = built.configs().get(0).get("history");
    assertEquals(2, history.size());
    assertTrue(history.get(0).get("created_by").asText().contains("common"));
    assertTrue(history.get(1).get("created_by").asText().contains("binary"));
  }

  @Test
  void containerSettingsGoIntoEveryConfig() {
    Req req = new Req();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("APP_HOME", "/app");
    env.put("MODE", "prod");
    req.container = new ContainerSpec(List.of("/usr/local/bin/hello"), List.of("--serve"), env, "/app",
        "1000:1000", List.of("8080", "7000-7002/udp", " 9090/tcp "), Map.of("team", "core", "a.label", "x"));
    Built built = read(build(req).layout(), "1.0");
    for (JsonNode config : built.configs()) {
      JsonNode run = config.get("config");
      assertEquals("/usr/local/bin/hello", run.get("Entrypoint").get(0).asText());
      assertEquals("--serve", run.get("Cmd").get(0).asText());
      assertEquals("APP_HOME=/app", run.get("Env").get(0).asText());
      assertEquals("MODE=prod", run.get("Env").get(1).asText());
      assertEquals("/app", run.get("WorkingDir").asText());
      assertEquals("1000:1000", run.get("User").asText());
      List<String> ports = new ArrayList<>();
      run.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
      assertEquals(List.of("8080/tcp", "7000/udp", "7001/udp", "7002/udp", "9090/tcp"), ports);
      assertEquals("{\"a.label\":\"x\",\"team\":\"core\"}", run.get("Labels").toString());
    }
  }

  @Test
  void portsAreNormalizedAndDeduplicated() {
    Req req = new Req();
    req.container = new ContainerSpec(null, null, null, null, null,
        List.of("08080", "8080/tcp", "53/udp", "00053/udp", "80-81"), null);
    Built built = read(build(req).layout(), "1.0");
    List<String> ports = new ArrayList<>();
    built.configs().get(0).get("config").get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertEquals(List.of("8080/tcp", "53/udp", "80/tcp", "81/tcp"), ports);
  }

  @Test
  void annotationsGoOnTheIndexAndItsEntries() {
    Req req = new Req();
    req.indexAnnotations = Map.of("org.opencontainers.image.version", "1.0",
        "org.opencontainers.image.source", "https://example.com/repo");
    req.platforms.set(2, new PlatformRequest(Platform.parse("platforms", "linux/arm/v7"),
        Map.of("com.example.board", "raspberry-pi-2"), null, List.of()));
    Built built = read(build(req).layout(), "1.0");
    assertEquals(req.indexAnnotations, built.index().annotations());
    assertEquals(Map.of("com.example.board", "raspberry-pi-2"), built.index().manifests().get(2).annotations());
    assertTrue(built.index().manifests().get(0).annotations().isEmpty());
  }

  @Test
  void platformLayersComeAfterCommonLayersForThatPlatformOnly() throws IOException {
    Path extra = Files.writeString(project.resolve("armhf-only.txt"), "only on arm");
    Req req = new Req();
    LayerSpec armOnly = new LayerSpec("arm-extra", List.of(new LayerFile(extra, "/etc/arm.txt", null)));
    req.platforms.set(2, new PlatformRequest(Platform.parse("platforms", "linux/arm/v7"), Map.of(), null,
        List.of(armOnly)));
    Built built = read(build(req).layout(), "1.0");
    assertEquals(2, built.manifests().get(0).layers().size());
    assertEquals(3, built.manifests().get(2).layers().size());
    assertTrue(layerFiles(built.layout(), built.manifests().get(2).layers().get(2)).containsKey("etc/arm.txt"));
    assertEquals(3, built.configs().get(2).get("rootfs").get("diff_ids").size());
  }

  @Test
  void dockerFormatUsesDockerMediaTypesThroughout() {
    Req req = new Req();
    req.format = ImageFormat.DOCKER;
    BuildResult result = build(req);
    assertEquals(MediaTypes.DOCKER_LIST, result.index().mediaType());
    OciLayout layout = OciLayout.open(result.layout());
    assertEquals(MediaTypes.DOCKER_LIST, layout.resolve("1.0").mediaType());
    Built built = read(result.layout(), "1.0");
    assertEquals(MediaTypes.DOCKER_LIST, built.index().mediaType());
    assertEquals(MediaTypes.DOCKER_LIST, built.indexJson().get("mediaType").asText());
    assertFalse(built.indexJson().has("annotations"));
    for (int i = 0; i < 3; i++) {
      assertEquals(MediaTypes.DOCKER_MANIFEST, built.index().manifests().get(i).mediaType());
      ImageManifest m = built.manifests().get(i);
      assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
      assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
      for (Descriptor layer : m.layers()) {
        assertEquals(MediaTypes.DOCKER_LAYER_GZIP, layer.mediaType());
      }
    }
    assertEquals("v7", built.index().manifests().get(2).platform().variant());
    assertEquals("v7", built.configs().get(2).get("variant").asText());
  }

  @Test
  void ociOutputValidatesAgainstTheOciSchemas() throws IOException {
    Req req = new Req();
    req.indexAnnotations = Map.of("org.opencontainers.image.version", "1.0");
    BuildResult result = build(req);
    // oci-layout, index.json, the index, 3 manifests, 3 configs
    assertEquals(9, OciSchemas.load().validateLayout(result.layout()));
  }

  @Test
  void dockerOutputValidatesAgainstTheOciSchemas() throws IOException {
    Req req = new Req();
    req.format = ImageFormat.DOCKER;
    assertEquals(9, OciSchemas.load().validateLayout(build(req).layout()));
  }

  @Test
  void tarballHoldsTheSameLayout() throws IOException {
    Req req = new Req();
    req.tarball = true;
    BuildResult result = build(req);
    assertEquals(out.resolve(MultiPlatformBuilder.TARBALL_FILE), result.tarball());
    OciLayout extracted = LayoutArchive.extract(result.tarball(), tmp.resolve("extracted"));
    assertEquals(allFiles(result.layout()).keySet(), allFiles(extracted.root()).keySet());
    assertEquals(result.index().digest(), extracted.resolve("1.0").digest());
    JsonNode meta = OciJson.parse(Files.readAllBytes(result.metadata()), "metadata");
    assertEquals(result.tarball().toString(), meta.get("tarball").asText());

    // a later build without the tarball removes the stale one
    req.tarball = false;
    BuildResult again = build(req);
    assertNull(again.tarball());
    assertFalse(Files.exists(out.resolve(MultiPlatformBuilder.TARBALL_FILE)));
  }

  @Test
  void aRebuildReplacesThePreviousLayout() throws IOException {
    build(new Req());
    assertEquals(11, blobFiles(out.resolve("oci")).size());
    Req one = new Req();
    one.platforms = new ArrayList<>(List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64"))));
    one.tags = List.of("2.0");
    BuildResult result = build(one);
    // common + binary + config + manifest + index: nothing stale from the earlier build
    assertEquals(5, blobFiles(result.layout()).size());
    assertEquals(List.of("2.0"), OciLayout.open(result.layout()).tags());
  }

  @Test
  void logsEachPlatformAndItsBase() {
    build(new Req());
    assertTrue(logged.contains("Building linux/arm/v7 on scratch"), logged.toString());
    assertTrue(logged.contains("Building linux/amd64 on scratch"), logged.toString());
  }

  @Test
  void windowsPlatformFromScratchCarriesOsVersion() {
    Req req = new Req();
    Platform windows = Platform.of("platforms", "windows", "amd64", "", "10.0.20348.2655", List.of());
    req.platforms = new ArrayList<>(List.of(PlatformRequest.of(windows)));
    req.commonLayers = new ArrayList<>(List.of(commonLayer()));
    Built built = read(build(req).layout(), "1.0");
    JsonNode entry = built.indexJson().get("manifests").get(0).get("platform");
    assertEquals("10.0.20348.2655", entry.get("os.version").asText());
    assertEquals("10.0.20348.2655", built.configs().get(0).get("os.version").asText());
    assertEquals("windows", built.configs().get(0).get("os").asText());
  }

  /** A Linux Java application as it was built before Windows layers existed: the same bytes, pinned. */
  @Test
  void aLinuxJavaApplicationKeepsItsBytes() throws IOException {
    Files.createDirectories(project.resolve("classes/com/example"));
    Files.writeString(project.resolve("classes/com/example/Main.class"), "class bytes");
    Files.writeString(project.resolve("lib.jar"), "jar bytes");
    JavaApplication app = new JavaApplication("com.example.Main", List.of("-Xmx64m"), List.of("/app/libs/lib.jar"),
        false);
    Req req = new Req();
    req.platforms = new ArrayList<>(List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        PlatformRequest.of(Platform.parse("platforms", "linux/arm64"))));
    req.commonLayers = new ArrayList<>(List.of(
        new LayerSpec("dependencies", List.of(new LayerFile(project.resolve("lib.jar"), "/app/libs/lib.jar", 0644))),
        new LayerSpec("classes", List.of(new LayerFile(project.resolve("classes/com/example/Main.class"),
            "/app/classes/com/example/Main.class", 0644))),
        app.argFilesLayer(), binaryLayer()));
    req.container = new ContainerSpec(app.entrypoint(), null, null, null, null, null, null);
    BuildResult result = build(req);
    assertEquals("sha256:0c7318bc9525880518eb57ba8d90a348daf1995fec324dfdc87f744618a51a29",
        result.index().digest().toString(), "Linux layers, configs and manifests byte for byte as before");
  }

  /** One build for Linux and Windows: the Java layers are Windows layers there, with C:\ paths; Linux keeps its own. */
  @Test
  void aJavaApplicationForLinuxAndWindowsGetsEachOsItsLayersAndEntrypoint() throws IOException {
    Files.createDirectories(project.resolve("classes/com/example"));
    Files.writeString(project.resolve("classes/com/example/Main.class"), "class bytes");
    Files.writeString(project.resolve("lib.jar"), "jar bytes");
    JavaApplication app = new JavaApplication("com.example.Main", List.of(), List.of("/app/libs/lib.jar"), false);
    Req req = new Req();
    req.platforms = new ArrayList<>(List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        PlatformRequest.of(Platform.of("platforms", "windows", "amd64", "", "10.0.20348.2655", List.of()))));
    LayerSpec classes = new LayerSpec("classes", List.of(new LayerFile(
        project.resolve("classes/com/example/Main.class"), "/app/classes/com/example/Main.class", 0644)));
    req.commonLayers = new ArrayList<>(List.of(new LayerSpec("dependencies", List.of(new LayerFile(
        project.resolve("lib.jar"), "/app/libs/lib.jar", 0644))),
        classes, app.argFilesLayer()));
    req.container = new ContainerSpec(app.entrypoint(), null, null, null, null, null, null)
        .withEntrypointByOs(app.entrypointByOs());
    Built built = read(build(req).layout(), "1.0");

    assertEquals(List.of("java", "-cp", "@/app/jib-classpath-file", "com.example.Main"),
        strings(built.configs().get(0).get("config").get("Entrypoint")));
    assertEquals(List.of("java", "-cp", "@C:\\app\\jib-classpath-file", "com.example.Main"),
        strings(built.configs().get(1).get("config").get("Entrypoint")));
    ImageManifest linux = built.manifests().get(0);
    ImageManifest windows = built.manifests().get(1);
    for (int i = 0; i < 3; i++) {
      assertNotEquals(linux.layers().get(i).digest(), windows.layers().get(i).digest(), "layer " + i);
    }
    Map<String, byte[]> linuxArgs = layerFiles(built.layout(), linux.layers().get(2));
    assertEquals("/app/resources:/app/classes:/app/libs/lib.jar",
        new String(linuxArgs.get("app/jib-classpath-file"), StandardCharsets.UTF_8));
    Map<String, byte[]> windowsArgs = layerFiles(built.layout(), windows.layers().get(2));
    assertEquals(List.of("Hives/", "Files/", "Files/app/", "Files/app/jib-classpath-file",
        "Files/app/jib-main-class-file"), List.copyOf(windowsArgs.keySet()));
    assertEquals("C:\\app\\resources;C:\\app\\classes;C:\\app\\libs\\lib.jar",
        new String(windowsArgs.get("Files/app/jib-classpath-file"), StandardCharsets.UTF_8));
    assertEquals(List.of("Hives/", "Files/", "Files/app/", "Files/app/libs/", "Files/app/libs/lib.jar"),
        List.copyOf(layerFiles(built.layout(), windows.layers().get(0)).keySet()));
    assertEquals("multiarch-maven-plugin: layer jvm-arg-files",
        built.configs().get(1).get("history").get(2).get("created_by").asText());
  }

  @Test
  void aPlatformsOwnEntrypointAndCmdReplaceTheContainers() throws IOException {
    Req req = new Req();
    req.platforms = new ArrayList<>(List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        new PlatformRequest(Platform.of("platforms", "windows", "amd64", "", "10.0.20348.2655", List.of()), Map.of(),
            null, List.of(), List.of(), List.of("C:\\app\\hello.exe"), List.of("--greet"))));
    req.commonLayers = new ArrayList<>();
    req.container = new ContainerSpec(List.of("/app/hello"), List.of("--quiet"), null, null, null, null, null);
    Built built = read(build(req).layout(), "1.0");
    assertEquals(List.of("/app/hello"), strings(built.configs().get(0).get("config").get("Entrypoint")));
    assertEquals(List.of("--quiet"), strings(built.configs().get(0).get("config").get("Cmd")));
    assertEquals(List.of("C:\\app\\hello.exe"), strings(built.configs().get(1).get("config").get("Entrypoint")));
    assertEquals(List.of("--greet"), strings(built.configs().get(1).get("config").get("Cmd")));
  }

  static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  @Test
  void windowsTargetsAreForWindowsPlatformsOnly() throws IOException {
    Req req = new Req();
    req.commonLayers = new ArrayList<>(List.of(new LayerSpec("common", List.of(
        new LayerFile(project.resolve("common"), "C:\\app", null)))));
    fails(req, "layers", "only platforms with os windows");
  }

  // ---------------------------------------------------------------- bad input

  /** Runs a build expected to fail on bad input and checks that nothing was written. */
  InvalidInputException fails(Req req, String parameter, String... fragments) throws IOException {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> build(req));
    assertEquals(parameter, e.parameter(), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
    assertNothingWritten(req.output);
    return e;
  }

  static void assertNothingWritten(Path output) throws IOException {
    if (Files.exists(output)) {
      try (Stream<Path> list = Files.list(output)) {
        List<Path> left = list.toList();
        assertTrue(left.isEmpty(), "nothing may be written on bad input, found " + left);
      }
    }
  }

  @Test
  void noPlatforms() throws IOException {
    Req req = new Req();
    req.platforms = new ArrayList<>();
    fails(req, "platforms", "no platforms", "linux/amd64");
  }

  @Test
  void duplicatePlatforms() throws IOException {
    Req req = new Req();
    req.platforms = new ArrayList<>(List.of(
        PlatformRequest.of(Platform.parse("platforms", "linux/arm64")),
        PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        PlatformRequest.of(Platform.parse("platforms", "linux/arm64/v8"))));
    fails(req, "platforms", "linux/arm64/v8", "listed twice");
  }

  @Test
  void tagStartingWithADash() throws IOException {
    Req req = new Req();
    req.tags = List.of("1.0", "-bad");
    fails(req, "tags", "'-bad'");
  }

  @Test
  void tagWithAColon() throws IOException {
    Req req = new Req();
    req.tags = List.of("a:b");
    fails(req, "tags", "'a:b'");
  }

  @Test
  void noTags() throws IOException {
    Req req = new Req();
    req.tags = List.of();
    fails(req, "tags", "no tags");
  }

  @Test
  void badImageName() throws IOException {
    Req req = new Req();
    req.image = "Registry.Example.com/UPPER/app";
    fails(req, "image", "Registry.Example.com/UPPER/app");
  }

  @Test
  void missingPerPlatformFile() throws IOException {
    Files.delete(project.resolve("bin/linux-arm-v7/hello"));
    Req req = new Req();
    InvalidInputException e = fails(req, "layers", "linux/arm/v7",
        project.resolve("bin/linux-arm-v7/hello").toString(), "does not exist");
    assertTrue(e.getMessage().contains("{platform}"), "names what was configured too: " + e.getMessage());
  }

  @Test
  void missingSourceNamesTheFilesNextToItThatLookLikeIt() throws IOException {
    // a release script's names: the old arm64-v8 spelling and uname's, and one for another platform
    Path bin = Files.createDirectories(project.resolve("dist"));
    for (String name : List.of("greet-linux-amd64", "greet-linux-arm64-v8", "greet-aarch64", "greet-linux-s390x",
        "README")) {
      Files.writeString(bin.resolve(name), name);
    }
    Req req = new Req();
    req.platforms = new ArrayList<>(List.of(new PlatformRequest(Platform.parse("platforms", "linux/amd64"), Map.of(),
        null, List.of()), new PlatformRequest(Platform.parse("platforms", "linux/arm64"), Map.of(), null, List.of())));
    req.commonLayers = new ArrayList<>(List.of(new LayerSpec("greet", List.of(
        new LayerFile(Path.of(bin + "/greet-{platform}"), "/usr/local/bin/greet", null)))));
    InvalidInputException e = fails(req, "layers", "linux/arm64/v8",
        "source " + bin.resolve("greet-linux-arm64") + " (from " + bin + "/greet-{platform}) does not exist",
        "found next to it: greet-aarch64, greet-linux-arm64-v8;",
        bin + "/greet-{unameMachine} would name it",
        "placeholders: {platform}, {os}");
    assertFalse(e.getMessage().contains("greet-linux-s390x"), "only this platform's files: " + e.getMessage());
  }

  @Test
  void missingSourceInAPlatformDirectoryShowsTheDirectoriesThatHoldIt() throws IOException {
    Files.move(project.resolve("bin/linux-arm64"), project.resolve("bin/aarch64"));
    Files.createDirectories(project.resolve("bin/aarch64-empty"));
    InvalidInputException e = fails(new Req(), "layers", "linux/arm64/v8",
        project.resolve("bin/linux-arm64/hello") + " (from " + project + "/bin/{platform}/hello) does not exist",
        "found next to it: aarch64/hello;",
        project + "/bin/{unameMachine}/hello would name it");
    assertFalse(e.getMessage().contains("aarch64-empty"), "a directory without the file is no match: "
        + e.getMessage());
  }

  @Test
  void missingSourceWithNoLookAlikeShowsHowTheFilesAreNamed() throws IOException {
    Files.delete(project.resolve("bin/linux-arm-v7/hello"));
    InvalidInputException e = fails(new Req(), "layers", "linux/arm/v7",
        "found next to it: linux-amd64/hello, linux-arm64/hello;");
    assertFalse(e.getMessage().contains("would name it"), e.getMessage());
    Req elsewhere = new Req();
    elsewhere.commonLayers = new ArrayList<>(List.of(new LayerSpec("x", List.of(
        new LayerFile(Path.of(project + "/nowhere/{platform}/x"), "/x", null)))));
    fails(elsewhere, "layers", "the directory " + project.resolve("nowhere") + " does not exist either");
  }

  @Test
  void missingFileOfAPlatformLayer() throws IOException {
    Req req = new Req();
    Path missing = project.resolve("nothing-{arch}.txt");
    req.platforms.set(1, new PlatformRequest(Platform.parse("platforms", "linux/arm64"), Map.of(), null,
        List.of(new LayerSpec("extra", List.of(new LayerFile(missing, "/x", null))))));
    fails(req, "platforms", "linux/arm64/v8", project.resolve("nothing-arm64.txt").toString());
  }

  @Test
  void dockerFormatWithIndexAnnotations() throws IOException {
    Req req = new Req();
    req.format = ImageFormat.DOCKER;
    req.indexAnnotations = Map.of("org.opencontainers.image.version", "1.0");
    fails(req, "annotations", "format docker", "org.opencontainers.image.version", "format oci");
  }

  @Test
  void dockerFormatWithEntryAnnotations() throws IOException {
    Req req = new Req();
    req.format = ImageFormat.DOCKER;
    req.platforms.set(0, new PlatformRequest(Platform.parse("platforms", "linux/amd64"),
        Map.of("com.example.note", "x"), null, List.of()));
    fails(req, "platforms", "format docker", "linux/amd64", "com.example.note");
  }

  @Test
  void refNameAnnotationIsReserved() throws IOException {
    Req req = new Req();
    req.indexAnnotations = Map.of(OciLayout.REF_NAME, "1.0");
    fails(req, "annotations", OciLayout.REF_NAME, "tags");
  }

  @Test
  void unknownPlaceholder() throws IOException {
    Req req = new Req();
    req.commonLayers.add(new LayerSpec("odd", List.of(
        new LayerFile(Path.of(project + "/bin/{foo}/hello"), "/bin/odd", null))));
    fails(req, "layers", "{foo}", "{platform}");
  }

  @Test
  void badPort() throws IOException {
    for (String port : List.of("http", "70000", "8080/xyz", "9000-8000", "0")) {
      Req req = new Req();
      req.container = new ContainerSpec(null, null, null, null, null, List.of("8080", port), null);
      fails(req, "container", "'" + port + "'", "1-65535");
    }
  }

  @Test
  void relativeLayerTarget() throws IOException {
    Req req = new Req();
    req.commonLayers.add(new LayerSpec("rel", List.of(
        new LayerFile(project.resolve("common/README"), "usr/share/doc/README", null))));
    fails(req, "layers", "'usr/share/doc/README'", "absolute");
  }

  @Test
  void layerTargetWithDotDot() throws IOException {
    Req req = new Req();
    req.commonLayers.add(new LayerSpec("up", List.of(
        new LayerFile(project.resolve("common/README"), "/app/../../etc/passwd", null))));
    fails(req, "layers", "'..'");
  }

  @Test
  void twoSourcesForOneTarget() throws IOException {
    Req req = new Req();
    req.commonLayers.add(new LayerSpec("dup", List.of(
        new LayerFile(project.resolve("common/README"), "/etc/motd", null),
        new LayerFile(project.resolve("common/conf/app.properties"), "/etc/motd", null))));
    fails(req, "layers", "/etc/motd");
  }

  @Test
  void relativeWorkingDirectory() throws IOException {
    Req req = new Req();
    req.container = new ContainerSpec(null, null, null, "app", null, null, null);
    fails(req, "container", "'app'", "absolute");
  }

  @Test
  void aFailedBuildLeavesThePreviousOutputAlone() throws IOException {
    BuildResult good = build(new Req());
    Map<String, byte[]> before = allFiles(out);
    Req bad = new Req();
    bad.tags = List.of("-bad");
    assertThrows(InvalidInputException.class, () -> build(bad));
    Req bad2 = new Req();
    bad2.commonLayers.add(new LayerSpec("rel", List.of(new LayerFile(project.resolve("common"), "rel", null))));
    assertThrows(InvalidInputException.class, () -> build(bad2));
    Map<String, byte[]> after = allFiles(out);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
    assertEquals(good.index().digest(), OciLayout.open(good.layout()).resolve("1.0").digest());
  }

  @Test
  void aRegistryBaseNeedsRegistryAccess() throws IOException {
    Req req = new Req();
    req.from = "registry.example.com/library/alpine:3.20";
    fails(req, "from", "registry.example.com/library/alpine:3.20", "registry");
  }

  @Test
  void aMissingLayoutBaseIsRefused() throws IOException {
    Req req = new Req();
    req.from = "oci-layout:does/not/exist:1.0";
    fails(req, "from", "does/not/exist");
  }

  @Test
  void aLayerCacheGivesTheSameIndexAndSkipsUnchangedLayers() throws IOException {
    Req plain = new Req();
    plain.output = tmp.resolve("plain");
    String expected = build(plain).index().digest().toString();

    Req cached = new Req();
    cached.layerCache = tmp.resolve("cache");
    assertEquals(expected, build(cached).index().digest().toString());
    assertTrue(logged.stream().noneMatch(m -> m.contains("from the layer cache")), String.join("\n", logged));

    logged.clear();
    assertEquals(expected, build(cached).index().digest().toString(), "a rebuild from the cache is identical");
    // common (1) + binary (3 platforms) = 4 distinct layers, all unchanged
    assertTrue(logged.contains("4 of 4 layers unchanged since an earlier build: taken from the layer cache "
        + tmp.resolve("cache")), String.join("\n", logged));

    logged.clear();
    Files.writeString(project.resolve("bin/linux-arm-v7/hello"), "ELF for linux-arm-v7, rebuilt");
    BuildResult changed = build(cached);
    assertTrue(logged.contains("3 of 4 layers unchanged since an earlier build: taken from the layer cache "
        + tmp.resolve("cache")), String.join("\n", logged));
    Req plainAgain = new Req();
    plainAgain.output = tmp.resolve("plain-again");
    assertEquals(build(plainAgain).index().digest(), changed.index().digest());
    assertNotEquals(expected, changed.index().digest().toString());
  }
}
