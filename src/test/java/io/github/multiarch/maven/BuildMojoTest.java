package io.github.multiarch.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build goal as Maven configures it from a POM (text and element platforms, layers, container) and the
 * messages it gives for bad input, naming the POM element and the -D property.
 */
@MojoTest
class BuildMojoTest {
  private static final String POM = "src/test/resources/unit/text-and-element-platforms/pom.xml";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path target;

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void buildsWhatThePomConfigures(BuildMojo mojo) throws Exception {
    prepare(mojo);
    assertEquals(3, mojo.platforms.size());
    assertEquals("linux/amd64", mojo.platforms.get(0).platform, "text form <platform>linux/amd64</platform>");
    assertEquals("arm", mojo.platforms.get(1).architecture, "element form");

    mojo.execute();

    Path layout = target.resolve("multiarch/oci");
    JsonNode index = blob(layout, Files.readString(target.resolve("multiarch/index.digest")).trim());
    JsonNode entries = index.get("manifests");
    assertEquals(3, entries.size());
    assertEquals("{\"architecture\":\"amd64\",\"os\":\"linux\"}", entries.get(0).get("platform").toString());
    assertEquals("{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}",
        entries.get(1).get("platform").toString());
    assertEquals("raspberry-pi-3", entries.get(1).get("annotations").get("com.example.board").asText());
    assertEquals("{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.20348.2655\"}",
        entries.get(2).get("platform").toString());

    JsonNode annotations = index.get("annotations");
    assertEquals("text-and-element-platforms", annotations.get("org.opencontainers.image.title").asText());
    assertEquals("1.0", annotations.get("org.opencontainers.image.version").asText());
    assertEquals("from the test", annotations.get("org.opencontainers.image.description").asText(),
        "<annotations> override the POM's");

    JsonNode manifest = blob(layout, entries.get(1).get("digest").asText());
    JsonNode config = blob(layout, manifest.get("config").get("digest").asText());
    assertEquals("arm", config.get("architecture").asText());
    assertEquals("v7", config.get("variant").asText());
    JsonNode run = config.get("config");
    assertEquals("[\"/app/run\"]", run.get("Entrypoint").toString());
    assertEquals("[\"--serve\"]", run.get("Cmd").toString());
    assertEquals("[\"MODE=test\"]", run.get("Env").toString());
    assertEquals("/app", run.get("WorkingDir").asText());
    assertEquals("1000:1000", run.get("User").asText());
    assertEquals(Set.of("8080/tcp", "9000/udp"), fieldNames(run.get("ExposedPorts")));
    assertEquals("platform", run.get("Labels").get("team").asText());

    Map<String, TarArchiveEntry> files = layerEntries(layout, manifest.get("layers").get(0).get("digest").asText());
    assertEquals(List.of("etc/", "etc/common.txt"), new ArrayList<>(files.keySet()));
    assertEquals(0600, files.get("etc/common.txt").getMode() & 07777, "<mode>600</mode>");

    JsonNode metadata = JSON.readTree(target.resolve("multiarch/metadata.json").toFile());
    assertEquals("localhost:5000/test/app", metadata.get("image").asText());
    assertEquals("[\"1.0\",\"latest\"]", metadata.get("tags").toString());
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void javaApplicationGetsFiveSharedLayersAndAJavaEntrypoint(BuildMojo mojo) throws Exception {
    prepare(mojo);
    mojo.container = new ContainerConfig();
    mojo.container.mainClass = "com.example.Main";
    mojo.container.jvmFlags = List.of("-Xmx64m");
    mojo.layers = null;
    Path classes = Files.createDirectories(target.resolve("classes/com/example"));
    Files.writeString(classes.resolve("Main.class"), "not really bytecode");
    Files.writeString(target.resolve("classes/app.properties"), "a=b");
    mojo.project.getBuild().setOutputDirectory(target.resolve("classes").toString());
    Set<Artifact> artifacts = new LinkedHashSet<>();
    artifacts.add(artifact("org.example", "lib", "1.0", "compile"));
    artifacts.add(artifact("org.example", "snap", "2.0-SNAPSHOT", "runtime"));
    artifacts.add(artifact("org.example", "testlib", "1.0", "test"));
    mojo.project.setArtifacts(artifacts);

    mojo.execute();

    Path layout = target.resolve("multiarch/oci");
    JsonNode index = blob(layout, Files.readString(target.resolve("multiarch/index.digest")).trim());
    List<String> firstLayers = null;
    List<String> windowsLayers = null;
    for (JsonNode entry : index.get("manifests")) {
      JsonNode manifest = blob(layout, entry.get("digest").asText());
      List<String> digests = new ArrayList<>();
      manifest.get("layers").forEach(l -> digests.add(l.get("digest").asText()));
      assertEquals(5, digests.size(), "dependencies, snapshot-dependencies, resources, classes, jvm-arg-files");
      JsonNode config = blob(layout, manifest.get("config").get("digest").asText());
      if (entry.get("platform").get("os").asText().equals("windows")) {
        // Windows layers (below Files/) and Windows paths: see MultiPlatformBuilderTest for their content
        windowsLayers = digests;
        assertEquals("[\"java\",\"-Xmx64m\",\"-cp\",\"@C:\\\\app\\\\jib-classpath-file\",\"com.example.Main\"]",
            config.get("config").get("Entrypoint").toString());
        continue;
      }
      if (firstLayers == null) {
        firstLayers = digests;
      }
      assertEquals(firstLayers, digests, "Java layers are the same for every Linux platform");
      assertEquals("[\"java\",\"-Xmx64m\",\"-cp\",\"@/app/jib-classpath-file\",\"com.example.Main\"]",
          config.get("config").get("Entrypoint").toString());
    }
    for (int i = 0; i < 5; i++) {
      assertNotEquals(firstLayers.get(i), windowsLayers.get(i), "the Windows platform's layer " + i);
    }
    assertEquals(Map.of("Files/app/jib-classpath-file", "C:\\app\\resources;C:\\app\\classes;"
        + "C:\\app\\libs\\lib-1.0.jar;C:\\app\\libs\\snap-2.0-SNAPSHOT.jar", "Files/app/jib-main-class-file",
        "com.example.Main"), layerFiles(layout, windowsLayers.get(4)));
    assertEquals(Set.of("app/", "app/libs/", "app/libs/lib-1.0.jar"), layerEntries(layout, firstLayers.get(0)).keySet());
    assertEquals(Set.of("app/", "app/libs/", "app/libs/snap-2.0-SNAPSHOT.jar"),
        layerEntries(layout, firstLayers.get(1)).keySet());
    assertEquals(Set.of("app/", "app/resources/", "app/resources/app.properties"),
        layerEntries(layout, firstLayers.get(2)).keySet());
    assertTrue(layerEntries(layout, firstLayers.get(3)).containsKey("app/classes/com/example/Main.class"));
    assertEquals(Map.of("app/jib-classpath-file", "/app/resources:/app/classes:/app/libs/lib-1.0.jar:"
        + "/app/libs/snap-2.0-SNAPSHOT.jar", "app/jib-main-class-file", "com.example.Main"),
        layerFiles(layout, firstLayers.get(4)), "Jib's two files, the classpath in Maven's order");
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void timingsSayWhereTheGoalsTimeWent(BuildMojo mojo) throws Exception {
    Path classes = javaApplication(mojo);
    Files.writeString(classes.resolve("Main.class"), "not really bytecode");
    mojo.project.setArtifacts(new LinkedHashSet<>(List.of(artifact("org.example", "lib", "1.0", "compile"))));
    VerifyMojoTest.Lines log = new VerifyMojoTest.Lines();
    mojo.setLog(log);
    mojo.timings = true;

    mojo.execute();

    String text = log.text();
    assertTrue(text.contains("[INFO] multiarch: timings: this goal "), text);
    assertTrue(Pattern.compile("classes loaded, the JVM's CPU [0-9]+ ms, [0-9]+ ms of it compiling\\); the JVM ran ")
        .matcher(text).find(), text);
    for (String phase : List.of("Java application: dependencies and classes listed", "bases resolved, layers planned",
        "layer 'dependencies' built", "layer 'classes' built",
        "attestations prepared (licenses, git revision)  [multiarch-attestations]")) {
      assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("[INFO]  ") && l.endsWith(phase)), phase + " in\n" + text);
    }

    VerifyMojoTest.Lines quiet = new VerifyMojoTest.Lines();
    mojo.setLog(quiet);
    mojo.timings = false;
    mojo.execute();
    assertFalse(quiet.text().contains("timings"), "without multiarch.timings (nor -X), no table: " + quiet.text());
    assertTrue(quiet.text().contains("layers unchanged since an earlier build"), quiet.text());
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void theClasspathKeepsMavensOrderAndItsLayerChangesOnlyWithIt(BuildMojo mojo) throws Exception {
    Path classes = javaApplication(mojo);
    Files.writeString(classes.resolve("Main.class"), "not really bytecode");
    // Maven's resolution order, not alphabetical: zeta before alpha, a snapshot between releases
    Artifact zeta = artifact("org.example", "zeta", "1.0", "compile");
    Artifact snapshot = artifact("org.example", "snap", "2.0-SNAPSHOT", "runtime");
    Artifact alpha = artifact("org.example", "alpha", "1.0", "compile");
    mojo.project.setArtifacts(new LinkedHashSet<>(List.of(zeta, snapshot, alpha)));
    mojo.execute();
    // dependencies, snapshot-dependencies, classes (no resources: no layer), jvm-arg-files
    List<String> first = layers(target.resolve("multiarch/oci"));
    assertEquals(4, first.size(), first.toString());
    assertEquals("/app/resources:/app/classes:/app/libs/zeta-1.0.jar:/app/libs/snap-2.0-SNAPSHOT.jar:"
        + "/app/libs/alpha-1.0.jar", layerFiles(target.resolve("multiarch/oci"), first.get(3))
        .get("app/jib-classpath-file"));

    Files.writeString(classes.resolve("Main.class"), "other bytecode"); // a new commit: classes change only
    mojo.execute();
    List<String> second = layers(target.resolve("multiarch/oci"));
    assertNotEquals(first.get(2), second.get(2), "classes changed");
    assertEquals(first.subList(0, 2), second.subList(0, 2));
    assertEquals(first.get(3), second.get(3), "the classpath did not change, nor did its layer");

    mojo.project.setArtifacts(new LinkedHashSet<>(List.of(alpha, snapshot, zeta))); // the POM swaps two
    mojo.execute();
    List<String> swapped = layers(target.resolve("multiarch/oci"));
    assertNotEquals(second.get(3), swapped.get(3), "a new order is a new classpath");
    assertEquals("/app/resources:/app/classes:/app/libs/alpha-1.0.jar:/app/libs/snap-2.0-SNAPSHOT.jar:"
        + "/app/libs/zeta-1.0.jar", layerFiles(target.resolve("multiarch/oci"), swapped.get(3))
        .get("app/jib-classpath-file"));
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void classesForJava8GetTheClasspathWrittenOutUnlessTheUserSaysOtherwise(BuildMojo mojo) throws Exception {
    Path classes = javaApplication(mojo);
    // the header of a class file compiled for Java 8 (major version 52) and one for Java 17 (61)
    Files.write(classes.resolve("Main.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 52});
    Files.write(classes.resolve("Other.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61});
    mojo.project.setArtifacts(new LinkedHashSet<>(List.of(artifact("org.example", "lib", "1.0", "compile"))));
    mojo.execute();
    assertEquals("[\"java\",\"-cp\",\"/app/resources:/app/classes:/app/libs/lib-1.0.jar\",\"com.example.Main\"]",
        entrypoint(target.resolve("multiarch/oci")), "Java 8's launcher reads no @argument files");

    mojo.container.expandClasspathDependencies = false;
    mojo.execute();
    assertEquals("[\"java\",\"-cp\",\"@/app/jib-classpath-file\",\"com.example.Main\"]",
        entrypoint(target.resolve("multiarch/oci")));
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void aMainClassThatIsNoClassNameIsRefused(BuildMojo mojo) throws Exception {
    prepare(mojo);
    expectFailure(mojo, m -> {
      m.layers = null;
      m.container = new ContainerConfig();
      m.container.mainClass = "com/example/Main.class";
    }, "<container>: mainClass 'com/example/Main.class' is not a Java class name", "com.example.app.App");
    expectFailure(mojo, m -> {
      m.layers = null;
      m.container = new ContainerConfig();
      m.container.mainClass = "com.example.Main.class";
    }, "<container>: mainClass 'com.example.Main.class' is not a Java class name", "com.example.app.App");
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void jibsContainerElementsMeanWhatTheyMeanInJib(BuildMojo mojo) throws Exception {
    prepare(mojo);
    mojo.layers = null;
    mojo.platforms = List.of(new PlatformConfig("linux/amd64"));
    mojo.outputTimestamp = null; // Jib's defaults apply only without project.build.outputTimestamp
    mojo.container = new ContainerConfig();
    mojo.container.entrypoint = List.of("/app/run");
    mojo.container.args = List.of("--serve"); // Jib's <args> is the image's Cmd
    mojo.container.volumes = List.of("/var/lib/app", "/data");
    Path file = Files.writeString(target.resolve("run"), "#!/bin/sh\n");
    LayerConfig layer = new LayerConfig();
    layer.name = "run";
    FileConfig f = new FileConfig();
    f.source = file.toString();
    f.target = "/app/run";
    layer.files = List.of(f);
    mojo.layers = List.of(layer);
    mojo.execute();
    JsonNode config = config(target.resolve("multiarch/oci"));
    assertEquals("[\"--serve\"]", config.get("config").get("Cmd").toString());
    assertEquals(List.of("/data", "/var/lib/app"), new ArrayList<>(fieldNames(config.get("config").get("Volumes"))));
    assertEquals("1970-01-01T00:00:00Z", config.get("created").asText(), "Jib's creationTime: EPOCH");
    Map<String, TarArchiveEntry> entries = layerEntries(target.resolve("multiarch/oci"), layers(target.resolve(
        "multiarch/oci")).get(0));
    assertEquals(1000L, entries.get("app/run").getModTime().getTime(), "Jib's filesModificationTime: EPOCH_PLUS_SECOND");

    mojo.container.creationTime = "2024-05-01T10:00:00+02:00";
    mojo.container.filesModificationTime = "EPOCH";
    mojo.execute();
    config = config(target.resolve("multiarch/oci"));
    assertEquals("2024-05-01T08:00:00Z", config.get("created").asText());
    entries = layerEntries(target.resolve("multiarch/oci"), layers(target.resolve("multiarch/oci")).get(0));
    assertEquals(0L, entries.get("app/run").getModTime().getTime());

    mojo.container.creationTime = null;
    mojo.container.filesModificationTime = null;
    mojo.outputTimestamp = "2026-01-01T00:00:00Z"; // the Maven way wins over Jib's defaults, for both
    mojo.execute();
    assertEquals("2026-01-01T00:00:00Z", config(target.resolve("multiarch/oci")).get("created").asText());
    entries = layerEntries(target.resolve("multiarch/oci"), layers(target.resolve("multiarch/oci")).get(0));
    assertEquals(java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(),
        entries.get("app/run").getModTime().getTime());
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void badContainerElementsAreRefused(BuildMojo mojo) throws Exception {
    prepare(mojo);
    expectFailure(mojo, m -> {
      m.container.cmd = List.of("a");
      m.container.args = List.of("b");
    }, "<container>: set either <cmd> or <args>", "not both");
    expectFailure(mojo, m -> m.container.volumes = List.of("data"),
        "<container>: volume 'data' must be an absolute path", "/var/lib/app");
    expectFailure(mojo, m -> m.container.creationTime = "yesterday",
        "<container>: creationTime 'yesterday' is not a time", "USE_CURRENT_TIMESTAMP");
    expectFailure(mojo, m -> m.container.filesModificationTime = "2024-13-01",
        "<container>: filesModificationTime '2024-13-01' is not a time", "EPOCH_PLUS_SECOND");
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void theMainClassOfMavenJarPluginsManifestMakesAJavaApplicationAndSrcMainJibIsCopied(BuildMojo mojo)
      throws Exception {
    prepare(mojo);
    Path basedir = Files.createDirectories(target.resolve("project"));
    mojo.project.setFile(basedir.resolve("pom.xml").toFile());
    org.apache.maven.model.Plugin jar = new org.apache.maven.model.Plugin();
    jar.setGroupId("org.apache.maven.plugins");
    jar.setArtifactId("maven-jar-plugin");
    jar.setConfiguration(org.codehaus.plexus.util.xml.Xpp3DomBuilder.build(new java.io.StringReader(
        "<configuration><archive><manifest><mainClass>com.example.FromManifest</mainClass></manifest></archive>"
        + "</configuration>")));
    mojo.project.getBuild().addPlugin(jar);
    Files.createDirectories(basedir.resolve("src/main/jib/etc/app"));
    Files.writeString(basedir.resolve("src/main/jib/etc/app/app.conf"), "x=1");
    mojo.layers = null;
    mojo.platforms = List.of(new PlatformConfig("linux/amd64"));
    mojo.container = new ContainerConfig();
    mojo.execute();
    JsonNode config = config(target.resolve("multiarch/oci"));
    assertEquals("[\"java\",\"-cp\",\"@/app/jib-classpath-file\",\"com.example.FromManifest\"]",
        config.get("config").get("Entrypoint").toString());
    List<String> layers = layers(target.resolve("multiarch/oci"));
    assertEquals(Set.of("etc/", "etc/app/", "etc/app/app.conf"),
        layerEntries(target.resolve("multiarch/oci"), layers.get(layers.size() - 1)).keySet(),
        "Jib's default extra directory, at the image root");

    mojo.container.entrypoint = List.of("/bin/sh"); // an explicit entrypoint: not a Java application
    mojo.execute();
    assertEquals("[\"/bin/sh\"]", config(target.resolve("multiarch/oci")).get("config").get("Entrypoint").toString());
    assertEquals(0, layers(target.resolve("multiarch/oci")).size());
  }

  private JsonNode config(Path layout) throws IOException {
    JsonNode index = blob(layout, Files.readString(target.resolve("multiarch/index.digest")).trim());
    JsonNode manifest = blob(layout, index.get("manifests").get(0).get("digest").asText());
    return blob(layout, manifest.get("config").get("digest").asText());
  }

  /**
   * A one-platform Java application with main class com.example.Main and no other layers; returns the
   * directory its classes go in ({@code target/classes/com/example}).
   */
  private Path javaApplication(BuildMojo mojo) throws Exception {
    prepare(mojo);
    mojo.container = new ContainerConfig();
    mojo.container.mainClass = "com.example.Main";
    mojo.layers = null;
    mojo.platforms = List.of(new PlatformConfig("linux/amd64"));
    mojo.project.getBuild().setOutputDirectory(target.resolve("classes").toString());
    return Files.createDirectories(target.resolve("classes/com/example"));
  }

  /** The layer digests of the (first) image of the layout's index. */
  private List<String> layers(Path layout) throws IOException {
    JsonNode index = blob(layout, Files.readString(target.resolve("multiarch/index.digest")).trim());
    JsonNode manifest = blob(layout, index.get("manifests").get(0).get("digest").asText());
    List<String> digests = new ArrayList<>();
    manifest.get("layers").forEach(l -> digests.add(l.get("digest").asText()));
    return digests;
  }

  private String entrypoint(Path layout) throws IOException {
    return config(layout).get("config").get("Entrypoint").toString();
  }

  /** The regular files of a layer with their content as text. */
  private static Map<String, String> layerFiles(Path layout, String digest) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.resolve("blobs").resolve(digest.replace(':', '/'))));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          files.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void dockerFormatLeavesOutPomAnnotationsButRefusesExplicitOnes(BuildMojo mojo) throws Exception {
    prepare(mojo);
    mojo.format = "docker";
    mojo.platforms = List.of(new PlatformConfig("linux/amd64"), new PlatformConfig("linux/arm64"));
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("<annotations>: format docker"), e.getMessage());
    assertFalse(Files.exists(target.resolve("multiarch")), "nothing is written on bad input");

    mojo.annotations = null;
    mojo.execute();
    JsonNode index = blob(target.resolve("multiarch/oci"),
        Files.readString(target.resolve("multiarch/index.digest")).trim());
    assertEquals("application/vnd.docker.distribution.manifest.list.v2+json", index.get("mediaType").asText());
    assertFalse(index.has("annotations"));
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void skipWritesNothing(BuildMojo mojo) throws Exception {
    prepare(mojo);
    mojo.skip = true;
    mojo.execute();
    assertFalse(Files.exists(target.resolve("multiarch")));
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void badInputNamesTheParameterAndWritesNothing(BuildMojo mojo) throws Exception {
    prepare(mojo);
    List<String> original = mojo.tags;
    expectFailure(mojo, m -> m.platforms = List.of(new PlatformConfig("lnux/amd64")),
        "<platforms> (-Dmultiarch.platforms): unknown os 'lnux'", "linux, netbsd");
    expectFailure(mojo, m -> m.platforms = List.of(new PlatformConfig("linux")),
        "<platforms> (-Dmultiarch.platforms): malformed platform 'linux'", "os/architecture[/variant]");
    expectFailure(mojo, m -> m.platforms = List.of(new PlatformConfig("linux/arm/v9")),
        "<platforms> (-Dmultiarch.platforms): unknown variant 'v9'", "v5, v6, v7, v8");
    expectFailure(mojo, m -> m.platforms = List.of(new PlatformConfig("linux/arm64"),
        new PlatformConfig("linux/arm64/v8")), "<platforms> (-Dmultiarch.platforms): platform linux/arm64/v8 is listed twice", "");
    expectFailure(mojo, m -> m.platforms = List.of(), "<platforms> (-Dmultiarch.platforms): no platforms configured", "");
    expectFailure(mojo, m -> m.tags = List.of("-bad"), "<tags> (-Dmultiarch.tags): invalid tag '-bad'", "letters, digits");
    expectFailure(mojo, m -> m.image = "Bad Image", "<image> (-Dmultiarch.image): invalid image reference 'Bad Image'", "");
    expectFailure(mojo, m -> m.image = "localhost:5000/app@sha256:" + "a".repeat(64),
        "<image> (-Dmultiarch.image): ", "holds a digest");
    expectFailure(mojo, m -> m.format = "zip", "<format> (-Dmultiarch.format): unknown format 'zip'", "oci");
    expectFailure(mojo, m -> m.baseLayers = "lazy", "<baseLayers> (-Dmultiarch.baseLayers): unknown value 'lazy'",
        "auto (defer when this run pushes), copy");
    expectFailure(mojo, m -> m.from = "oci-layout:does/not/exist", "<from> (-Dmultiarch.from): base image", "no OCI layout");
    expectFailure(mojo, m -> m.layers.get(0).files.get(0).mode = "999", "<layers>: layer 'common', file files/common.txt: mode '999'", "644");
    expectFailure(mojo, m -> m.layers.get(0).files.get(0).source = "files/{platform}.txt",
        "<layers>: layer 'common' for platform linux/amd64: source ", "files/linux-amd64.txt (from ");
    expectFailure(mojo, m -> m.container.mainClass = "com.example.Main", "<container>: set either <mainClass>", "");
    expectFailure(mojo, m -> m.container.ports = List.of("http"), "<container>: invalid port 'http'", "8080");
    expectFailure(mojo, m -> m.outputTimestamp = "yesterday", "<outputTimestamp>: project.build.outputTimestamp 'yesterday'", "");
    assertEquals(original, mojo.tags);
  }

  private interface Change {
    void apply(BuildMojo mojo) throws Exception;
  }

  private void expectFailure(BuildMojo mojo, Change change, String start, String contains) throws Exception {
    BuildMojo fresh = copyOf(mojo);
    change.apply(fresh);
    MojoFailureException e = assertThrows(MojoFailureException.class, fresh::execute);
    assertTrue(e.getMessage().startsWith(start), "expected a message starting with «" + start + "», got: " + e.getMessage());
    assertTrue(e.getMessage().contains(contains), "expected «" + contains + "» in: " + e.getMessage());
    assertFalse(Files.exists(target.resolve("multiarch")), "nothing may be written on bad input: " + start);
  }

  /** A mojo configured like {@code mojo}, with its own lists so that one case cannot leak into the next. */
  private BuildMojo copyOf(BuildMojo mojo) throws IOException {
    BuildMojo copy = new BuildMojo();
    copy.project = mojo.project;
    copy.image = mojo.image;
    copy.tags = new ArrayList<>(mojo.tags);
    copy.from = mojo.from;
    copy.platforms = new ArrayList<>(mojo.platforms);
    copy.format = mojo.format;
    copy.outputDirectory = mojo.outputDirectory;
    copy.cacheDirectory = mojo.cacheDirectory;
    copy.pomAnnotations = true;
    copy.annotations = mojo.annotations;
    copy.layers = new ArrayList<>();
    for (LayerConfig layer : mojo.layers) {
      LayerConfig l = new LayerConfig();
      l.name = layer.name;
      l.files = new ArrayList<>();
      for (FileConfig file : layer.files) {
        FileConfig f = new FileConfig();
        f.source = file.source;
        f.target = file.target;
        f.mode = file.mode;
        l.files.add(f);
      }
      copy.layers.add(l);
    }
    ContainerConfig c = new ContainerConfig();
    c.entrypoint = mojo.container.entrypoint;
    c.ports = mojo.container.ports;
    copy.container = c;
    copy.outputTimestamp = mojo.outputTimestamp;
    return copy;
  }

  /** Gives the injected mojo a real project read from the test POM, building into the temporary directory. */
  private void prepare(BuildMojo mojo) throws Exception {
    Path pom = Path.of(POM).toAbsolutePath();
    Model model;
    try (Reader reader = Files.newBufferedReader(pom)) {
      model = new MavenXpp3Reader().read(reader);
    }
    MavenProject project = new MavenProject(model);
    project.setFile(pom.toFile());
    project.getBuild().setDirectory(target.toString());
    project.getBuild().setOutputDirectory(target.resolve("no-classes").toString());
    project.setArtifacts(Set.of());
    mojo.project = project;
    mojo.outputDirectory = target.resolve("multiarch").toFile();
    mojo.cacheDirectory = target.resolve("cache").toFile();
  }

  private Artifact artifact(String group, String id, String version, String scope) throws IOException {
    DefaultArtifact artifact = new DefaultArtifact(group, id, version, scope, "jar", null,
        new DefaultArtifactHandler("jar"));
    Path file = target.resolve("repo").resolve(id + "-" + version + ".jar");
    Files.createDirectories(file.getParent());
    Files.writeString(file, id + " " + version);
    artifact.setFile(file.toFile());
    return artifact;
  }

  private static JsonNode blob(Path layout, String digest) throws IOException {
    return JSON.readTree(layout.resolve("blobs").resolve(digest.replace(':', '/')).toFile());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new LinkedHashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, TarArchiveEntry> layerEntries(Path layout, String digest) throws IOException {
    Map<String, TarArchiveEntry> entries = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.resolve("blobs").resolve(digest.replace(':', '/'))));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        entries.put(entry.getName(), entry);
      }
    }
    return entries;
  }
}
