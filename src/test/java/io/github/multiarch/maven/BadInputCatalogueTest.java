package io.github.multiarch.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

/**
 * The catalogue of malformed inputs, across every goal (build, push, create, annotate, inspect, verify), each run through the mojo as Maven runs it: each
 * fails with a Maven exception (never a bare runtime exception, which Maven reports with its class name)
 * whose message names the parameter ({@code <param> (-Dmultiarch.x): …}) and the input, shows no exception
 * class or stack trace, sends nothing that writes to the registry (a recording stub stands in front of a real
 * one), and for {@code build} leaves no output. The messages are written to
 * {@code target/bad-input-catalogue.md} for docs/reliability.md.
 */
class BadInputCatalogueTest {
  /** Encrypted with the master password "master-A" ({@code mvn --encrypt-password}). */
  static final String ENCRYPTED_PASSWORD = "{7+vklaaXxxMH4QuHeT6a92jmqiLFTVFSkysg+IcQ8is=}";
  /** The master password "master-B", as settings-security.xml holds it: not the one the password needs. */
  static final String WRONG_MASTER = "{LLgschgg3wkHGPuk5fzPNnupnq0r8ErixCwYt7lHrf0=}";
  static final Set<String> WRITES = Set.of("PUT", "POST", "PATCH", "DELETE");

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  static String host;
  static Path project;
  static Path outside;
  static BuildResult built;
  static Path builtLayout;
  static Path missingChild;
  static Path oversized;
  static Path lackingBlob;
  static Path dotDotArchive;
  static Path singleImage;
  static Path otherAmd64;
  static Path oversizedIndex;
  /** A copy of the built layout whose first layer has one bit flipped: the same size, another digest. */
  static Path tampered;
  static Path tamperedArchive;
  static Digest tamperedLayer;
  static Path notATar;
  static Path badIndexJson;
  static final AtomicInteger COUNTER = new AtomicInteger();
  static final List<String[]> CATALOGUE = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void fixtures() throws Exception {
    registry = TestRegistry.builder("catalogue").start();
    stub = StubProxy.start(registry.baseUrl());
    host = stub.host();

    project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    Files.createDirectories(project.resolve("files"));
    Files.writeString(project.resolve("files/app.txt"), "app");
    Files.createDirectories(project.resolve("native/linux-amd64"));
    Files.writeString(project.resolve("native/linux-amd64/hello"), "amd64 binary");
    outside = Files.createDirectories(tmp.resolve("outside/arm64"));
    Files.writeString(outside.resolve("hello"), "a file outside the project");
    Files.createSymbolicLink(project.resolve("native/linux-arm64"), outside);
    Files.createDirectories(project.resolve("links"));
    Files.createSymbolicLink(project.resolve("links/passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(project.resolve("links/up"), Path.of("../../outside/arm64/hello"));

    built = TestImages.build(tmp.resolve("built"), "1.0", List.of("linux/amd64", "linux/arm64"), "catalogue", 0);
    builtLayout = built.layout();
    new LayoutPusher(new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE), EngineLog.NONE)
        .push(new PushRequest(builtLayout, null, ImageName.parse("image", registry.host() + "/multiarch-test/catalogue"),
            List.of("1.0"), null, Map.of(), 2));
    // a single image (not an index) in the registry, for annotate
    Descriptor child = built.images().get(0).manifest();
    byte[] childBytes = OciLayout.open(builtLayout).readBlob(child, OciJson.MAX_MANIFEST_BYTES);
    new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE)
        .putManifest("multiarch-test/catalogue", "single", childBytes, child.mediaType());

    missingChild = copy(builtLayout, tmp.resolve("missing-child"));
    Files.delete(OciLayout.open(missingChild).blobPath(child.digest()));

    lackingBlob = copy(builtLayout, tmp.resolve("lacking-blob"));
    ImageManifest manifest = ImageManifest.parse(childBytes, child.mediaType(), "m");
    Files.delete(OciLayout.open(lackingBlob).blobPath(manifest.layers().get(0).digest()));

    oversized = oversizedLayout(tmp.resolve("oversized"), manifest.config());
    otherAmd64 = TestImages.build(tmp.resolve("other"), "1.0", List.of("linux/amd64"), "other", 0).layout();
    oversizedIndex = tmp.resolve("oversized-index");
    OciLayout big = OciLayout.create(oversizedIndex);
    String padded = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[],"
        + "\"annotations\":{\"pad\":\"" + "y".repeat(OciJson.MAX_MANIFEST_BYTES) + "\"}}";
    Descriptor bigIndex = big.writeBlob(MediaTypes.OCI_INDEX, padded.getBytes(StandardCharsets.UTF_8));
    big.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(bigIndex.withAnnotations(Map.of(OciLayout.REF_NAME, "1.0"))), Map.of()));
    dotDotArchive = tarWithDotDot(tmp.resolve("evil.tar"));

    tampered = copy(builtLayout, tmp.resolve("tampered"));
    tamperedLayer = manifest.layers().get(0).digest();
    Path tamperedBlob = OciLayout.open(tampered).blobPath(tamperedLayer);
    byte[] flipped = Files.readAllBytes(tamperedBlob);
    flipped[flipped.length / 2] ^= 0x01;
    Files.write(tamperedBlob, flipped);
    tamperedArchive = tmp.resolve("tampered.tar");
    LayoutArchive.write(OciLayout.open(tampered), tamperedArchive);

    notATar = Files.writeString(tmp.resolve("not-a-tar.tar"), "this is a text file, not a tar\n");
    badIndexJson = copy(builtLayout, tmp.resolve("bad-index-json"));
    Files.writeString(badIndexJson.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [");

    singleImage = copy(builtLayout, tmp.resolve("single-image"));
    OciLayout single = OciLayout.open(singleImage);
    single.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, List.of(child.withPlatform(null)
        .withAnnotations(Map.of(OciLayout.REF_NAME, "1.0"))), Map.of()));
  }

  @AfterAll
  static void stop() throws IOException {
    if (stub != null) {
      stub.close();
    }
    if (registry != null) {
      registry.close();
    }
    List<String[]> rows = new ArrayList<>(CATALOGUE);
    rows.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
    StringBuilder md = new StringBuilder("| # | goal | input | message |\n|---|---|---|---|\n");
    for (String[] row : rows) {
      md.append("| ").append(String.join(" | ", row[0], row[1], row[2].replace("|", "\\|"),
          row[3].replace("|", "\\|").replace(tmp.toString(), "…"))).append(" |\n");
    }
    Path file = TestRegistry.targetDirectory().resolve("bad-input-catalogue.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, md.toString());
  }

  // ------------------------------------------------------------------------------------------ fixtures

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  /** A layout whose index names a manifest of just over 4 MiB (its annotations padded). */
  static Path oversizedLayout(Path dir, Descriptor config) throws IOException {
    OciLayout layout = OciLayout.create(dir);
    layout.copyBlobFrom(OciLayout.open(builtLayout), config.digest(), config.size());
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + config.mediaType() + "\",\"digest\":\"" + config.digest() + "\",\"size\":" + config.size()
        + "},\"layers\":[],\"annotations\":{\"pad\":\"" + "x".repeat(OciJson.MAX_MANIFEST_BYTES) + "\"}}";
    Descriptor manifest = layout.writeBlob(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
    Descriptor entry = manifest.withPlatform(Platform.parse("p", "linux/amd64"));
    Descriptor index = layout.writeBlob(MediaTypes.OCI_INDEX,
        new ImageIndex(MediaTypes.OCI_INDEX, List.of(entry), Map.of()).toBytes());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(index.withAnnotations(Map.of(OciLayout.REF_NAME, "1.0"))), Map.of()));
    return dir;
  }

  /** A layout tar with an entry that climbs out of the directory it is extracted into. */
  static Path tarWithDotDot(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (String[] e : new String[][] {{"oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"},
          {"index.json", "{\"schemaVersion\":2,\"manifests\":[]}"}, {"../escaped-from-the-tar.txt", "gotcha"}}) {
        byte[] bytes = e[1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e[0], true);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  static MavenProject project() {
    Model model = new Model();
    model.setGroupId("io.github.multiarch.test");
    model.setArtifactId("catalogue");
    model.setVersion("1.0");
    MavenProject p = new MavenProject(model);
    p.setFile(project.resolve("pom.xml").toFile());
    p.getBuild().setDirectory(project.resolve("target").toString());
    p.getBuild().setOutputDirectory(project.resolve("target/classes").toString());
    p.setArtifacts(Set.of());
    return p;
  }

  static LayerConfig layer(String name, String source, String target) {
    FileConfig file = new FileConfig();
    file.source = source;
    file.target = target;
    LayerConfig layer = new LayerConfig();
    layer.name = name;
    layer.files = new ArrayList<>(List.of(file));
    return layer;
  }

  static PlatformConfig platform(String os, String architecture) {
    PlatformConfig p = new PlatformConfig();
    p.os = os;
    p.architecture = architecture;
    return p;
  }

  static MavenSession session(boolean offline, List<Server> servers) {
    DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
    request.setOffline(offline);
    request.setServers(servers);
    @SuppressWarnings("deprecation")
    MavenSession session = new MavenSession(null, null, request, new DefaultMavenExecutionResult());
    return session;
  }

  /** Maven's own decrypter, with settings-security.xml holding the wrong master password. */
  static DefaultSettingsDecrypter decrypterWithWrongMaster() throws IOException {
    Path security = Files.writeString(tmp.resolve("settings-security.xml"),
        "<settingsSecurity><master>" + WRONG_MASTER + "</master></settingsSecurity>\n");
    return new DefaultSettingsDecrypter(new DefaultSecDispatcher(new DefaultPlexusCipher(), Map.of(), security.toString()));
  }

  static Path file(String name, String content) {
    try {
      Path dir = Files.createDirectories(tmp.resolve("files-" + COUNTER.incrementAndGet()));
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ----------------------------------------------------------------------------- valid configurations

  static BuildMojo build() {
    BuildMojo m = new BuildMojo();
    m.project = project();
    m.image = "registry.example.com/team/app";
    m.tags = new ArrayList<>(List.of("1.0"));
    m.from = "scratch";
    m.platforms = new ArrayList<>(List.of(new PlatformConfig("linux/amd64"), new PlatformConfig("linux/arm64")));
    m.layers = new ArrayList<>(List.of(layer("app", "files/app.txt", "/app/app.txt")));
    m.container = new ContainerConfig();
    m.pomAnnotations = false;
    m.format = "oci";
    m.outputDirectory = tmp.resolve("out-" + COUNTER.incrementAndGet()).toFile();
    m.cacheDirectory = tmp.resolve("cache-" + COUNTER.incrementAndGet()).toFile();
    m.insecureRegistries = List.of(host);
    m.environment = Map.of();
    return m;
  }

  static PushMojo push() {
    PushMojo m = new PushMojo();
    m.image = host + "/multiarch-test/catalogue-push";
    m.layout = builtLayout.getParent().toFile();
    m.chunkSize = 4 * 1024 * 1024;
    m.parallelUploads = 2;
    m.insecureRegistries = List.of(host);
    m.environment = Map.of();
    return m;
  }

  static CreateMojo create() {
    CreateMojo m = new CreateMojo();
    m.image = host + "/multiarch-test/catalogue-create-" + COUNTER.incrementAndGet() + ":1.0";
    m.sources = new ArrayList<>(List.of(new SourceConfig("oci-layout:" + builtLayout + ":1.0")));
    m.format = "oci";
    m.insecureRegistries = List.of(host);
    m.environment = Map.of();
    return m;
  }

  static AnnotateMojo annotate() {
    AnnotateMojo m = new AnnotateMojo();
    m.image = host + "/multiarch-test/catalogue:1.0";
    m.tags = new ArrayList<>(List.of("annotated"));
    m.annotations = new ArrayList<>(List.of("com.example.checked=yes"));
    m.insecureRegistries = List.of(host);
    m.environment = Map.of();
    return m;
  }

  static InspectMojo inspect() {
    InspectMojo m = new InspectMojo();
    m.image = host + "/multiarch-test/catalogue:1.0";
    m.layout = tmp.resolve("no-build").toFile();
    m.output = "table";
    m.insecureRegistries = List.of(host);
    m.environment = Map.of();
    return m;
  }

  static VerifyMojo verify() {
    VerifyMojo m = new VerifyMojo();
    m.layout = builtLayout.getParent().toFile();
    m.requiredPlatforms = new ArrayList<>(List.of("linux/amd64", "linux/arm64"));
    m.verifySource = "layout";
    m.binaryCheck = "fail";
    m.smokeTimeout = 60;
    m.verifyDirectory = tmp.resolve("verify-" + COUNTER.incrementAndGet()).toFile();
    m.insecureRegistries = List.of(host);
    m.environment = Map.of();
    return m;
  }

  @Test
  void theValidConfigurationsTheCasesStartFromSucceed() throws Exception {
    BuildMojo b = build();
    b.execute();
    assertTrue(b.outputDirectory.toPath().resolve("oci/index.json").toFile().isFile());
    push().execute();
    create().execute();
    annotate().execute();
    inspect().execute();
    verify().execute();
    assertEquals(built.index().digest(), new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE)
        .getManifest("multiarch-test/catalogue-push", "1.0").orElseThrow().digest());
  }

  // ------------------------------------------------------------------------------------------- cases

  /** One malformed input: the goal configured validly except for {@code change}. */
  record Case(String goal, String input, Supplier<? extends org.apache.maven.plugin.AbstractMojo> mojo,
      boolean inputError, String start, List<String> contains) {}

  static <T extends org.apache.maven.plugin.AbstractMojo> Supplier<T> with(Supplier<T> valid, Consumer<T> change) {
    return () -> {
      T mojo = valid.get();
      change.accept(mojo);
      return mojo;
    };
  }

  static Case bad(String goal, String input, Supplier<? extends org.apache.maven.plugin.AbstractMojo> mojo,
      String start, String... contains) {
    return new Case(goal, input, mojo, true, start, List.of(contains));
  }

  /** A failure that is not about a parameter's value but about content it points at (MojoExecutionException). */
  static Case broken(String goal, String input, Supplier<? extends org.apache.maven.plugin.AbstractMojo> mojo,
      String start, String... contains) {
    return new Case(goal, input, mojo, false, start, List.of(contains));
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    String platforms = "<platforms> (-Dmultiarch.platforms): ";
    // ------------------------------------------------------------------ build
    cases.add(bad("build", "platform linux/amd64/v9 (a variant amd64 does not have)",
        with(BadInputCatalogueTest::build, m -> m.platforms = List.of(new PlatformConfig("linux/amd64/v9"))),
        platforms, "v9"));
    cases.add(bad("build", "platform linux/z80 (unknown architecture)",
        with(BadInputCatalogueTest::build, m -> m.platforms = List.of(new PlatformConfig("linux/z80"))),
        platforms, "z80", "amd64"));
    cases.add(bad("build", "platform element with <architecture> but no <os>",
        with(BadInputCatalogueTest::build, m -> m.platforms = List.of(platform(null, "arm64"))),
        platforms, "needs <os> and <architecture>"));
    cases.add(bad("build", "platform given as text and as <os>",
        with(BadInputCatalogueTest::build, m -> {
          PlatformConfig p = new PlatformConfig("linux/arm64");
          p.os = "linux";
          m.platforms = List.of(p);
        }), platforms, "gives both text and <os>/<architecture>"));
    cases.add(bad("build", "windows/amd64 with <osVersion>ten</osVersion>",
        with(BadInputCatalogueTest::build, m -> {
          PlatformConfig p = platform("windows", "amd64");
          p.osVersion = "ten";
          m.platforms = List.of(p);
        }), platforms, "ten"));
    cases.add(bad("build", "a tag of 129 characters",
        with(BadInputCatalogueTest::build, m -> m.tags = List.of("t".repeat(129))),
        "<tags> (-Dmultiarch.tags): ", "t".repeat(129)));
    cases.add(bad("build", "an empty <tag></tag> beside 1.0",
        with(BadInputCatalogueTest::build, m -> m.tags = java.util.Arrays.asList("1.0", null)),
        "<tags> (-Dmultiarch.tags): ", "an empty <tag>", "write a tag such as 1.0"));
    cases.add(bad("build", "-Dmultiarch.tags=1.0,,latest (an empty item)",
        with(BadInputCatalogueTest::build, m -> m.tags = List.of("1.0", "", "latest")),
        "<tags> (-Dmultiarch.tags): ", "-Dmultiarch.tags=1.0,,latest"));
    cases.add(bad("build", "a file with <target>/</target> (the image root)",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "files/app.txt", "/"))),
        "<layers>: ", "target '/' is the image root", "/usr/local/bin/app.txt"));
    cases.add(bad("build", "a file with <target>/app/..</target>",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "files/app.txt", "/app/.."))),
        "<layers>: ", "must not contain '..'"));
    cases.add(bad("build", "a file with <target>/./</target>",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "files/app.txt", "/./"))),
        "<layers>: ", "is the image root"));
    cases.add(bad("build", "tag '1.0 beta' (a space)",
        with(BadInputCatalogueTest::build, m -> m.tags = List.of("1.0 beta")), "<tags> (-Dmultiarch.tags): ", "1.0 beta"));
    cases.add(bad("build", "image registry.example.com/Team/App (upper case)",
        with(BadInputCatalogueTest::build, m -> m.image = "registry.example.com/Team/App"),
        "<image> (-Dmultiarch.image): ", "registry.example.com/Team/App"));
    cases.add(bad("build", "from oci-layout: (no path)",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-layout:"), "<from> (-Dmultiarch.from): ", "oci-layout:"));
    cases.add(bad("build", "from registry.example.com/base:bad:tag (malformed reference)",
        with(BadInputCatalogueTest::build, m -> m.from = "registry.example.com/base:bad:tag"),
        "<from> (-Dmultiarch.from): ", "registry.example.com/base:bad:tag"));
    cases.add(bad("build", "from an oci-archive: whose tar has a ../ entry",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-archive:" + dotDotArchive),
        "<from> (-Dmultiarch.from): ", dotDotArchive.toString(), "outside its root: ../escaped-from-the-tar.txt"));
    cases.add(bad("build", "a base lacking a platform (linux/s390x from a linux/amd64+arm64 layout)",
        with(BadInputCatalogueTest::build, m -> {
          m.from = "oci-layout:" + builtLayout + ":1.0";
          m.platforms = List.of(new PlatformConfig("linux/s390x"));
        }), "<from> (-Dmultiarch.from): ", "linux/s390x", "linux/amd64", "linux/arm64"));
    cases.add(bad("build", "a base layout whose layer blob was tampered with (one bit flipped)",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-layout:" + tampered + ":1.0"),
        "<from> (-Dmultiarch.from): ", tampered.toString(), "is corrupt: expected " + tamperedLayer, "found sha256:"));
    cases.add(bad("build", "an oci-archive: base whose layer blob was tampered with",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-archive:" + tamperedArchive + ":1.0"),
        "<from> (-Dmultiarch.from): ", "blob " + tamperedArchive + "!blobs/sha256/" + tamperedLayer.hex()
            + " is corrupt: expected " + tamperedLayer, "found sha256:"));
    cases.add(bad("build", "from an oci-archive: that is not a tar",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-archive:" + notATar),
        "<from> (-Dmultiarch.from): ", notATar + " is not a tar, or an empty one", "skopeo copy"));
    cases.add(bad("build", "from a layout whose index.json is not JSON",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-layout:" + badIndexJson + ":1.0"),
        "<from> (-Dmultiarch.from): ", badIndexJson.resolve("index.json") + " is not valid JSON: Unexpected "
            + "end-of-input: expected close marker for Array (line 1, column 36)"));
    cases.add(bad("inspect", "a layout whose index.json is not JSON",
        with(BadInputCatalogueTest::inspect, m -> m.image = "oci-layout:" + badIndexJson + ":1.0"),
        "<image> (-Dmultiarch.image): ", badIndexJson.resolve("index.json") + " is not valid JSON"));
    cases.add(bad("push", "a layout whose index.json is not JSON",
        with(BadInputCatalogueTest::push, m -> m.layout = badIndexJson.toFile()),
        "<layout> (-Dmultiarch.layout): ", badIndexJson.resolve("index.json") + " is not valid JSON"));
    cases.add(broken("build", "a base layout whose index names a missing child",
        with(BadInputCatalogueTest::build, m -> m.from = "oci-layout:" + missingChild + ":1.0"),
        "", built.images().get(0).manifest().digest().toString(), "missing", missingChild.toString()));
    cases.add(broken("build", "a base layout with a manifest over 4 MiB",
        with(BadInputCatalogueTest::build, m -> {
          m.from = "oci-layout:" + oversized + ":1.0";
          m.platforms = List.of(new PlatformConfig("linux/amd64"));
        }), "", oversized.toString(), "over the limit of 4194304"));
    cases.add(bad("build", "a registry base while offline, not in the cache",
        with(BadInputCatalogueTest::build, m -> {
          m.from = host + "/multiarch-test/catalogue:1.0";
          m.session = session(true, List.of());
        }), "<from> (-Dmultiarch.from): ", host + "/multiarch-test/catalogue:1.0", "offline"));
    cases.add(bad("build", "index annotation org.opencontainers.image.ref.name",
        with(BadInputCatalogueTest::build, m -> m.annotations = Map.of(OciLayout.REF_NAME, "x")),
        "<annotations>: ", OciLayout.REF_NAME, "reserved"));
    cases.add(bad("build", "entry annotations with format docker",
        with(BadInputCatalogueTest::build, m -> {
          m.format = "docker";
          PlatformConfig p = new PlatformConfig("linux/amd64");
          p.annotations = Map.of("com.example.board", "pi");
          m.platforms = List.of(p);
        }), platforms, "format docker", "com.example.board"));
    cases.add(bad("build", "layer target usr/bin/app (relative)",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "files/app.txt", "usr/bin/app"))),
        "<layers>: ", "usr/bin/app", "absolute"));
    cases.add(bad("build", "layer target /app/../../etc/app (..)",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "files/app.txt", "/app/../../etc/app"))),
        "<layers>: ", "/app/../../etc/app", "'..'"));
    cases.add(bad("build", "a layer without <files>",
        with(BadInputCatalogueTest::build, m -> {
          LayerConfig empty = new LayerConfig();
          empty.name = "empty";
          m.layers = List.of(empty);
        }), "<layers>: ", "layer 'empty' has no <files>"));
    cases.add(bad("build", "a missing source file",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "files/missing.txt", "/app/x"))),
        "<layers>: ", "files/missing.txt", "does not exist"));
    cases.add(bad("build", "a per-platform directory that is a symbolic link out of the project",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("bin", "native/{platform}/hello",
            "/usr/local/bin/hello"))),
        "<layers>: ", "native/linux-arm64", "leads outside the project", outside.toString()));
    cases.add(bad("build", "a source that is a named pipe (neither file nor directory)",
        with(BadInputCatalogueTest::build, m -> {
          Path fifo = project.resolve("files/pipe-" + COUNTER.incrementAndGet());
          try {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertEquals(0, mkfifo.waitFor());
          } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
          }
          m.layers = List.of(layer("pipe", "files/" + fifo.getFileName(), "/app/pipe"));
        }), "<layers>: ", "pipe-", "not a file or directory"));
    cases.add(bad("build", "an unknown placeholder {cpu} in a source",
        with(BadInputCatalogueTest::build, m -> m.layers = List.of(layer("app", "native/{cpu}/hello", "/hello"))),
        "<layers>: ", "{cpu}"));
    cases.add(bad("build", "mode rwxr-xr-x",
        with(BadInputCatalogueTest::build, m -> m.layers.get(0).files.get(0).mode = "rwxr-xr-x"),
        "<layers>: ", "rwxr-xr-x", "644"));
    cases.add(bad("build", "port 70000",
        with(BadInputCatalogueTest::build, m -> m.container.ports = List.of("70000")), "<container>: ", "70000"));
    cases.add(bad("build", "workingDirectory app (relative)",
        with(BadInputCatalogueTest::build, m -> m.container.workingDirectory = "app"), "<container>: ", "'app'", "absolute"));
    cases.add(bad("build", "format oci-v2 (unknown)",
        with(BadInputCatalogueTest::build, m -> m.format = "oci-v2"), "<format> (-Dmultiarch.format): ", "oci-v2"));

    // ------------------------------------------------------------------ push
    String layout = "<layout> (-Dmultiarch.layout): ";
    cases.add(bad("push", "no image, and a layout without metadata.json",
        with(BadInputCatalogueTest::push, m -> {
          m.image = null;
          m.layout = builtLayout.toFile();
        }), "<image> (-Dmultiarch.image): ", "no image to push to"));
    cases.add(bad("push", "image with a digest",
        with(BadInputCatalogueTest::push, m -> m.image = host + "/a/b@sha256:" + "a".repeat(64)),
        "<image> (-Dmultiarch.image): ", "holds a digest"));
    cases.add(bad("push", "image -bad/repo",
        with(BadInputCatalogueTest::push, m -> m.image = host + "/-bad/repo"), "<image> (-Dmultiarch.image): ", "-bad/repo"));
    cases.add(bad("push", "tag 'v1!'",
        with(BadInputCatalogueTest::push, m -> m.tags = List.of("v1!")), "<tags> (-Dmultiarch.tags): ", "v1!"));
    String additional = "<additionalImages> (-Dmultiarch.additionalImages): ";
    cases.add(bad("push", "additionalImages with a digest",
        with(BadInputCatalogueTest::push, m -> m.additionalImages = List.of(host + "/b/c@sha256:" + "a".repeat(64))),
        additional, "holds a digest"));
    cases.add(bad("push", "additionalImages naming the image itself",
        with(BadInputCatalogueTest::push, m -> m.additionalImages = List.of(host + "/b/c", m.image)),
        additional, "the image itself"));
    cases.add(bad("push", "additionalImages naming one repository twice",
        with(BadInputCatalogueTest::push, m -> m.additionalImages = List.of(host + "/b/c", host + "/b/c:1.0")),
        additional, "twice"));
    cases.add(bad("push", "additionalImages -bad/repo",
        with(BadInputCatalogueTest::push, m -> m.additionalImages = List.of(host + "/-bad/repo")), additional,
        "-bad/repo"));
    cases.add(bad("push", "additionalImages with a tag the image does not get",
        with(BadInputCatalogueTest::push, m -> m.additionalImages = List.of(host + "/b/c:2.0")), additional,
        "same tags (1.0)"));
    cases.add(bad("push", "no layout (build not run)",
        with(BadInputCatalogueTest::push, m -> m.layout = tmp.resolve("never-built").toFile()),
        layout, "never-built", "run multiarch:build first"));
    cases.add(bad("push", "a layout lacking a layer blob",
        with(BadInputCatalogueTest::push, m -> m.layout = lackingBlob.toFile()), layout, "lacks blob", "rebuild"));
    cases.add(bad("push", "a layout whose index names a missing child",
        with(BadInputCatalogueTest::push, m -> m.layout = missingChild.toFile()), layout,
        built.images().get(0).manifest().digest().toString(), "missing"));
    cases.add(bad("push", "a layout with a manifest over 4 MiB",
        with(BadInputCatalogueTest::push, m -> m.layout = oversized.toFile()), layout, "over the limit of 4194304"));
    cases.add(bad("push", "a layout whose layer blob was tampered with",
        with(BadInputCatalogueTest::push, m -> {
          m.layout = tampered.toFile();
          m.image = host + "/multiarch-test/catalogue-tampered";
        }), "<layout> (-Dmultiarch.layout): ", "is corrupt: expected " + tamperedLayer, "nothing was pushed"));
    cases.add(bad("push", "chunkSize 100",
        with(BadInputCatalogueTest::push, m -> m.chunkSize = 100), "<chunkSize> (-Dmultiarch.chunkSize): ",
        "chunkSize 100 is out of range; valid: 1024 to 1073741824 bytes"));
    for (int uploads : new int[] {0, -1, 65}) {
      cases.add(bad("push", "parallelUploads " + uploads,
          with(BadInputCatalogueTest::push, m -> m.parallelUploads = uploads),
          "<parallelUploads> (-Dmultiarch.parallelUploads): ", "parallelUploads " + uploads
              + " is out of range; valid: 1 to 64 blobs at once"));
    }
    cases.add(bad("push", "an empty <tag></tag>",
        with(BadInputCatalogueTest::push, m -> m.tags = java.util.Arrays.asList("", "1.0")),
        "<tags> (-Dmultiarch.tags): ", "an empty <tag>"));
    cases.add(bad("push", "insecureRegistries 'local host:5000' (not a host)",
        with(BadInputCatalogueTest::push, m -> m.insecureRegistries = List.of("local host:5000")),
        "<insecureRegistries> (-Dmultiarch.insecureRegistries): ", "'local host:5000' is not a registry host",
        "host:port"));
    cases.add(bad("push", "platformTags {tag}-{cpu}",
        with(BadInputCatalogueTest::push, m -> m.platformTags = "{tag}-{cpu}"),
        "<platformTags> (-Dmultiarch.platformTags): ", "{cpu}"));
    cases.add(bad("push", "platformTags {tag}/{platform} (not a tag)",
        with(BadInputCatalogueTest::push, m -> m.platformTags = "{tag}/{platform}"),
        "<platformTags> (-Dmultiarch.platformTags): ", "1.0/linux-amd64"));
    cases.add(bad("push", "platformTags {tag}-{os} (one tag for every platform)",
        with(BadInputCatalogueTest::push, m -> m.platformTags = "{tag}-{os}"),
        "<platformTags> (-Dmultiarch.platformTags): ", "gives the same tag 1.0-linux to linux/amd64 and ",
        "{tag}-{platform}"));
    cases.add(bad("push", "caCertificates naming a file that is not PEM",
        with(BadInputCatalogueTest::push, m -> {
          m.insecureRegistries = null; // the CA matters: TLS is verified
          m.caCertificates = List.of(file("ca.pem", "not a certificate").toFile());
        }),
        "<caCertificates> (-Dmultiarch.caCertificates): ", "ca.pem"));
    cases.add(bad("push", "caCertificates naming a directory (unreadable as a file)",
        with(BadInputCatalogueTest::push, m -> m.caCertificates = List.of(tmp.resolve("outside").toFile())),
        "<caCertificates> (-Dmultiarch.caCertificates): ", "outside", "cannot read"));
    cases.add(bad("push", "a malformed Docker config.json ($DOCKER_CONFIG)",
        with(BadInputCatalogueTest::push, m -> m.environment = Map.of("DOCKER_CONFIG",
            file("config.json", "{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0\"}").getParent().toString())),
        "registry credentials: ", "config.json", "not valid JSON (line"));
    cases.add(bad("push", "a malformed podman auth.json ($REGISTRY_AUTH_FILE)",
        with(BadInputCatalogueTest::push, m -> m.environment = Map.of("REGISTRY_AUTH_FILE",
            file("auth.json", "[\"not an object\"]").toString())),
        "registry credentials: ", "auth.json", "expected a JSON object"));
    cases.add(bad("push", "a config.json auths entry whose auth is not base64",
        with(BadInputCatalogueTest::push, m -> m.environment = Map.of("DOCKER_CONFIG",
            file("config.json", "{\"auths\":{\"" + host + "\":{\"auth\":\"%%%not-base64%%%\"}}}").getParent().toString())),
        "registry credentials: ", "config.json"));
    cases.add(bad("push", "MULTIARCH_REGISTRY_USERNAME without MULTIARCH_REGISTRY_PASSWORD",
        with(BadInputCatalogueTest::push, m -> m.environment = Map.of("MULTIARCH_REGISTRY_USERNAME", "ci")),
        "registry credentials: ", "MULTIARCH_REGISTRY_USERNAME", "no password"));
    cases.add(bad("push", "a wrong master password in settings-security.xml",
        with(BadInputCatalogueTest::push, m -> {
          Server server = new Server();
          server.setId(host);
          server.setUsername("ci");
          server.setPassword(ENCRYPTED_PASSWORD);
          m.session = session(false, List.of(server));
          try {
            m.settingsDecrypter = decrypterWithWrongMaster();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }), "Maven settings: ", "<server> '" + host + "'", "master password", "settings-security.xml"));
    cases.add(bad("push", "Maven offline (-o)",
        with(BadInputCatalogueTest::push, m -> m.session = session(true, List.of())), "offline mode: ", host));

    // ------------------------------------------------------------------ create
    String sources = "<sources> (-Dmultiarch.sources): ";
    cases.add(bad("create", "no image", with(BadInputCatalogueTest::create, m -> m.image = null),
        "<image> (-Dmultiarch.image): ", "no target"));
    cases.add(bad("create", "image with a digest and no tag",
        with(BadInputCatalogueTest::create, m -> m.image = host + "/a/b@sha256:" + "b".repeat(64)),
        "<image> (-Dmultiarch.image): ", "holds a digest"));
    cases.add(bad("create", "additionalImages with a digest",
        with(BadInputCatalogueTest::create, m -> m.additionalImages = List.of(host + "/b/c@sha256:" + "a".repeat(64))),
        "<additionalImages> (-Dmultiarch.additionalImages): ", "holds a digest"));
    cases.add(bad("create", "additionalImages naming the image itself",
        with(BadInputCatalogueTest::create, m -> m.additionalImages = List.of(m.image)),
        "<additionalImages> (-Dmultiarch.additionalImages): ", "the image itself"));
    cases.add(bad("create", "no sources", with(BadInputCatalogueTest::create, m -> m.sources = List.of()),
        sources, "no sources"));
    cases.add(bad("create", "a source 'not a reference!'",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig("not a reference!"))),
        sources, "not a reference!"));
    cases.add(bad("create", "a source with platform linux/",
        with(BadInputCatalogueTest::create, m -> m.sources.get(0).platform = "linux/"), sources, "linux/"));
    cases.add(bad("create", "a source oci-layout: path that does not exist",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig("oci-layout:" + tmp.resolve("nope")))),
        sources, "nope", "no OCI layout"));
    cases.add(bad("create", "a source in the registry that does not exist",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig(host + "/multiarch-test/absent:1"))),
        sources, host + "/multiarch-test/absent:1", "does not exist"));
    cases.add(bad("create", "a source layout whose layer blob was tampered with",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig("oci-layout:" + tampered + ":1.0"))),
        sources, "is corrupt: expected " + tamperedLayer, "nothing was pushed"));
    cases.add(broken("create", "a source index naming a missing child",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig("oci-layout:" + missingChild + ":1.0"))),
        "", built.images().get(0).manifest().digest().toString(), "missing", missingChild.toString()));
    cases.add(broken("create", "a source with a manifest over 4 MiB",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig("oci-layout:" + oversized + ":1.0"))),
        "", oversized.toString(), "over the limit of 4194304"));
    cases.add(bad("create", "two different images for one platform",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig("oci-layout:" + builtLayout + ":1.0"),
            new SourceConfig("oci-layout:" + otherAmd64 + ":1.0"))), sources, "two sources give linux/amd64"));
    cases.add(bad("create", "platforms filter x86",
        with(BadInputCatalogueTest::create, m -> m.platforms = List.of("x86")), platforms, "x86"));
    cases.add(bad("create", "format docker with OCI sources",
        with(BadInputCatalogueTest::create, m -> m.format = "docker"), "<format> (-Dmultiarch.format): ", "format docker"));
    cases.add(bad("create", "an existing tag without amend",
        with(BadInputCatalogueTest::create, m -> m.image = host + "/multiarch-test/catalogue:1.0"),
        "<amend> (-Dmultiarch.amend): ", "already exists"));

    // ------------------------------------------------------------------ annotate
    cases.add(bad("annotate", "no image", with(BadInputCatalogueTest::annotate, m -> m.image = null),
        "<image> (-Dmultiarch.image): ", "no index given"));
    cases.add(bad("annotate", "a single image, not an index",
        with(BadInputCatalogueTest::annotate, m -> m.image = host + "/multiarch-test/catalogue:single"),
        "<image> (-Dmultiarch.image): ", "is a single image"));
    cases.add(bad("annotate", "digest sha256:1234",
        with(BadInputCatalogueTest::annotate, m -> m.digests = List.of("sha256:1234")),
        "<digests> (-Dmultiarch.digests): ", "sha256:1234"));
    cases.add(bad("annotate", "annotation 'novalue' (no =)",
        with(BadInputCatalogueTest::annotate, m -> m.annotations = List.of("novalue")),
        "<annotations> (-Dmultiarch.annotations): ", "'novalue' is not key=value"));
    cases.add(bad("annotate", "annotation key ' =x' (empty)",
        with(BadInputCatalogueTest::annotate, m -> m.annotations = List.of(" =x")),
        "<annotations> (-Dmultiarch.annotations): ", "empty key"));
    cases.add(bad("annotate", "annotation org.opencontainers.image.ref.name on an entry",
        with(BadInputCatalogueTest::annotate, m -> m.annotations = List.of(OciLayout.REF_NAME + "=x")),
        "<annotations> (-Dmultiarch.annotations): ", OciLayout.REF_NAME, "reserved"));
    cases.add(bad("annotate", "select platform linux/s390x, which the index lacks",
        with(BadInputCatalogueTest::annotate, m -> m.platforms = List.of("linux/s390x")), platforms, "no entry",
        "linux/s390x"));
    cases.add(bad("annotate", "select platform linx/amd64",
        with(BadInputCatalogueTest::annotate, m -> m.platforms = List.of("linx/amd64")), platforms, "linx"));
    cases.add(bad("annotate", "change the architecture without a selection",
        with(BadInputCatalogueTest::annotate, m -> m.architecture = "arm64"), platforms, "select the entries"));
    cases.add(bad("annotate", "a local layout without a tag and no -Dmultiarch.tags",
        with(BadInputCatalogueTest::annotate, m -> {
          try {
            m.image = "oci-layout:" + copy(builtLayout, tmp.resolve("annotate-" + COUNTER.incrementAndGet()));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          m.tags = null;
        }), "<tags> (-Dmultiarch.tags): ", "not named by a tag"));
    cases.add(bad("annotate", "target tag 'a:b'",
        with(BadInputCatalogueTest::annotate, m -> m.tags = List.of("a:b")), "<tags> (-Dmultiarch.tags): ", "a:b"));
    cases.add(bad("annotate", "an empty target tag",
        with(BadInputCatalogueTest::annotate, m -> m.tags = List.of(" ")), "<tags> (-Dmultiarch.tags): ",
        "an empty <tag>"));

    // ------------------------------------------------------------------ inspect
    cases.add(bad("inspect", "output yaml", with(BadInputCatalogueTest::inspect, m -> m.output = "yaml"),
        "<output> (-Dmultiarch.output): ", "yaml", "table, json"));
    cases.add(bad("inspect", "image 'a b'", with(BadInputCatalogueTest::inspect, m -> m.image = "a b"),
        "<image> (-Dmultiarch.image): ", "a b"));
    cases.add(bad("inspect", "no image and no build output",
        with(BadInputCatalogueTest::inspect, m -> m.image = null), "<image> (-Dmultiarch.image): ", "no-build",
        "no OCI layout"));
    cases.add(bad("inspect", "an image that does not exist",
        with(BadInputCatalogueTest::inspect, m -> m.image = host + "/multiarch-test/absent:1"),
        "<image> (-Dmultiarch.image): ", "does not exist"));
    cases.add(bad("inspect", "an oci-archive: whose tar has a ../ entry",
        with(BadInputCatalogueTest::inspect, m -> m.image = "oci-archive:" + dotDotArchive),
        "<image> (-Dmultiarch.image): ", "outside its root: ../escaped-from-the-tar.txt"));
    cases.add(broken("inspect", "a layout with an index over 4 MiB",
        with(BadInputCatalogueTest::inspect, m -> m.image = "oci-layout:" + oversizedIndex + ":1.0"),
        "", oversizedIndex.toString(), "over the limit of 4194304"));

    // ------------------------------------------------------------------ verify
    cases.add(bad("verify", "requiredPlatforms linux/z80",
        with(BadInputCatalogueTest::verify, m -> m.requiredPlatforms = List.of("linux/z80")),
        "<requiredPlatforms> (-Dmultiarch.requiredPlatforms): ", "z80"));
    cases.add(bad("verify", "verifySource remote",
        with(BadInputCatalogueTest::verify, m -> m.verifySource = "remote"),
        "<verifySource> (-Dmultiarch.verifySource): ", "remote", "auto, layout, registry"));
    cases.add(bad("verify", "binaryCheck maybe",
        with(BadInputCatalogueTest::verify, m -> m.binaryCheck = "maybe"), "<binaryCheck> (-Dmultiarch.binaryCheck): ",
        "maybe"));
    cases.add(bad("verify", "smokeTimeout 0",
        with(BadInputCatalogueTest::verify, m -> {
          m.smokeRun = true;
          m.smokeTimeout = 0;
        }), "<smokeTimeout> (-Dmultiarch.smokeTimeout): ", "smokeTimeout 0 is out of range; valid: 1 to 3600 seconds"));
    cases.add(bad("verify", "smokeTimeout -5, even without smokeRun",
        with(BadInputCatalogueTest::verify, m -> m.smokeTimeout = -5), "<smokeTimeout> (-Dmultiarch.smokeTimeout): ",
        "smokeTimeout -5 is out of range"));
    cases.add(bad("verify", "smokeExpect '([' (not a regular expression)",
        with(BadInputCatalogueTest::verify, m -> {
          m.smokeRun = true;
          m.smokeExpect = "([";
        }), "<smokeExpect> (-Dmultiarch.smokeExpect): ", "(["));
    cases.add(bad("verify", "no layout (build not run)",
        with(BadInputCatalogueTest::verify, m -> m.layout = tmp.resolve("never-built").toFile()),
        "<layout> (-Dmultiarch.layout): ", "never-built", "run multiarch:build first"));
    cases.add(bad("verify", "a registry image 'a b'",
        with(BadInputCatalogueTest::verify, m -> {
          m.verifySource = "registry";
          m.image = "a b";
        }), "<image> (-Dmultiarch.image): ", "a b"));

    // ------------------------------------------------------------------ every goal: one reference parser
    String badPort = "localhost:99999/team/app:1.0";
    String portMessage = "a port is a number from 1 to 65535";
    String image = "<image> (-Dmultiarch.image): ";
    cases.add(bad("build", "image with port 99999", with(BadInputCatalogueTest::build, m -> m.image = badPort),
        image, badPort, portMessage));
    cases.add(bad("push", "image with port 99999", with(BadInputCatalogueTest::push, m -> m.image = badPort),
        image, badPort, portMessage));
    cases.add(bad("create", "image with port 99999", with(BadInputCatalogueTest::create, m -> m.image = badPort),
        image, badPort, portMessage));
    cases.add(bad("create", "a source with port 99999",
        with(BadInputCatalogueTest::create, m -> m.sources = List.of(new SourceConfig(badPort))), sources, badPort,
        portMessage));
    cases.add(bad("annotate", "image with port 99999", with(BadInputCatalogueTest::annotate, m -> m.image = badPort),
        image, badPort, portMessage));
    cases.add(bad("inspect", "image with port 99999", with(BadInputCatalogueTest::inspect, m -> m.image = badPort),
        image, badPort, portMessage));
    cases.add(bad("verify", "a registry image with port 99999",
        with(BadInputCatalogueTest::verify, m -> {
          m.verifySource = "registry";
          m.image = badPort;
        }), image, badPort, portMessage));

    // ------------------------------------------------------------------ added later (the numbers above stay)
    cases.add(bad("create", "an empty <tag></tag> beside 1.0",
        with(BadInputCatalogueTest::create, m -> m.tags = java.util.Arrays.asList("1.0", " ")),
        "<tags> (-Dmultiarch.tags): ", "an empty <tag>", "write a tag such as 1.0"));
    cases.add(bad("create", "target tag 'a:b'", with(BadInputCatalogueTest::create, m -> m.tags = List.of("a:b")),
        "<tags> (-Dmultiarch.tags): ", "a:b"));
    cases.add(bad("push", "signatureFormat 'cosign4' (no signingKey)",
        with(BadInputCatalogueTest::push, m -> m.signatureFormat = "cosign4"),
        "<signatureFormat> (-Dmultiarch.signatureFormat): ", "unknown signature format 'cosign4'",
        "valid: bundle, legacy, both"));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> everyMalformedInputFailsClearlyAndChangesNothing() throws IOException {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 30, "the catalogue holds " + cases.size() + " cases");
    AtomicInteger number = new AtomicInteger();
    return cases.stream().map(c -> {
      int n = number.incrementAndGet();
      return DynamicTest.dynamicTest(n + " " + c.goal() + ": " + c.input(), () -> check(n, c));
    });
  }

  private static synchronized void check(int number, Case c) throws Exception {
    org.apache.maven.plugin.AbstractMojo mojo = c.mojo().get();
    stub.clear();
    Throwable thrown = null;
    try {
      mojo.execute();
    } catch (Throwable t) {
      thrown = t;
    }
    if (thrown == null) {
      fail(c.goal() + " accepted " + c.input());
    }
    Class<?> expected = c.inputError() ? MojoFailureException.class : MojoExecutionException.class;
    if (!expected.isInstance(thrown)) {
      AssertionError e = new AssertionError("expected " + expected.getSimpleName() + " for " + c.input() + ", got "
          + thrown);
      e.initCause(thrown);
      throw e;
    }
    String message = thrown.getMessage();
    CATALOGUE.add(new String[] {Integer.toString(number), c.goal(), c.input(), message});
    assertTrue(message.startsWith(c.start()), "expected a message starting with «" + c.start() + "»: " + message);
    for (String text : c.contains()) {
      assertTrue(message.contains(text), "expected «" + text + "» in: " + message);
    }
    assertFalse(message.contains("Exception") || message.contains("\tat ") || message.contains("\n"),
        "the message shows an exception or a trace: " + message);
    List<StubProxy.Request> writes = stub.requests().stream().filter(r -> WRITES.contains(r.method())).toList();
    assertEquals(List.of(), writes, "a refused " + c.goal() + " wrote to the registry");
    if (mojo instanceof BuildMojo build) {
      Path out = build.outputDirectory.toPath();
      assertFalse(Files.exists(out), "a refused build left " + out + " behind (nothing may be written, not even "
          + "an empty directory)");
      Path cache = build.cacheDirectory.toPath();
      if (Files.exists(cache)) {
        try (java.util.stream.Stream<Path> files = Files.walk(cache)) {
          assertTrue(files.anyMatch(f -> f.getParent() != null && f.getParent().getFileName().toString().equals("sha256")),
              "a refused build left an empty cache at " + cache);
        }
      }
    }
  }

  // ------------------------------------------------------------------ behaviour that is not an error

  @Test
  void symbolicLinksInsideASourceDirectoryAreStoredAsLinksAndNeverFollowed() throws Exception {
    BuildMojo m = build();
    m.layers = List.of(layer("links", "links", "/etc/links"));
    m.execute();
    Path layoutDir = m.outputDirectory.toPath().resolve("oci");
    OciLayout layout = OciLayout.open(layoutDir);
    Descriptor top = layout.resolve("1.0");
    Descriptor child = ImageIndex.parse(layout.readBlob(top, OciJson.MAX_MANIFEST_BYTES), top.mediaType(), "i")
        .manifests().get(0);
    ImageManifest manifest = ImageManifest.parse(layout.readBlob(child, OciJson.MAX_MANIFEST_BYTES),
        child.mediaType(), "m");
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    ByteArrayOutputStream contents = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.blobPath(manifest.layers().get(0).digest())));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        entries.put(e.getName(), e);
        tar.transferTo(contents);
      }
    }
    assertTrue(entries.get("etc/links/passwd").isSymbolicLink());
    assertEquals("/etc/passwd", entries.get("etc/links/passwd").getLinkName());
    assertTrue(entries.get("etc/links/up").isSymbolicLink());
    assertEquals("../../outside/arm64/hello", entries.get("etc/links/up").getLinkName());
    assertEquals(0, contents.size(), "no byte of what the links point to was read into the layer");
  }

  @Test
  void aBaseLayerWithDotDotEntriesIsCopiedAsABlobAndNeverUnpacked() throws Exception {
    // a base whose only layer holds ../../escaped.txt and /etc/absolute.txt
    Path dir = tmp.resolve("dotdot-base");
    OciLayout layout = OciLayout.create(dir);
    ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
      for (String name : List.of("../../escaped.txt", "/etc/absolute.txt")) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        byte[] bytes = "escaped\n".getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tarBytes.toByteArray());
    }
    Descriptor layer = layout.writeBlob(MediaTypes.OCI_LAYER_GZIP, gz.toByteArray());
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + Digest.sha256(tarBytes.toByteArray()) + "\"]},\"config\":{}}";
    Descriptor configDescriptor = layout.writeBlob(MediaTypes.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
    Descriptor manifest = layout.writeBlob(MediaTypes.OCI_MANIFEST, new ImageManifest(MediaTypes.OCI_MANIFEST,
        configDescriptor, List.of(layer), Map.of()).toBytes());
    Descriptor index = layout.writeBlob(MediaTypes.OCI_INDEX, new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(manifest.withPlatform(Platform.parse("p", "linux/amd64"))), Map.of()).toBytes());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(index.withAnnotations(Map.of(OciLayout.REF_NAME, "1"))), Map.of()));

    BuildMojo m = build();
    m.from = "oci-layout:" + dir + ":1";
    m.platforms = List.of(new PlatformConfig("linux/amd64"));
    m.execute();
    OciLayout out = OciLayout.open(m.outputDirectory.toPath().resolve("oci"));
    assertTrue(out.hasBlob(layer.digest()), "the base layer is in the output, byte for byte");
    assertFalse(Files.exists(m.outputDirectory.toPath().getParent().getParent().resolve("escaped.txt")));
    assertFalse(Files.exists(m.outputDirectory.toPath().getParent().resolve("escaped.txt")));
    assertFalse(Files.exists(dir.getParent().getParent().resolve("escaped.txt")));
    assertFalse(Files.exists(tmp.resolve("escaped-from-the-tar.txt")), "the ../ entry of the refused tar");
    assertFalse(new File("/etc/absolute.txt").exists());
  }
}
