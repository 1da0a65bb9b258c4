package io.github.multiarch.testing.it;

import static io.github.multiarch.testing.it.ItChecks.OCI_CONFIG;
import static io.github.multiarch.testing.it.ItChecks.OCI_MANIFEST;
import static io.github.multiarch.testing.it.ItChecks.check;
import static io.github.multiarch.testing.it.ItChecks.deleteDir;
import static io.github.multiarch.testing.it.ItChecks.sha256;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Helpers of the index-* integration tests (src/it/index-*: create, annotate, inspect through Maven): images
 * built with the plugin's engine and pushed as single manifests under a tag (what {@code podman push} of a
 * per-architecture build leaves), hand-made images, checks with skopeo, and build.log split into the runs of
 * a test's invocations. Not an integration test itself. The hook scripts (Groovy, run by maven-invoker-plugin
 * with the test class path) use it next to PushIt: {@code import io.github.multiarch.testing.it.IndexIt}.
 */
public final class IndexIt {
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  private static final Pattern RUN_START = Pattern.compile("(?m)^(?=\\[INFO\\] Scanning for projects\\.\\.\\.$)");
  private static final String SCANNING = "[INFO] Scanning for projects...";
  private static final Pattern RULE = Pattern.compile("\\[INFO\\] -+");

  private IndexIt() {}

  public static RegistryClient client(TestRegistry registry) {
    return new RegistryClient(registry.host(), registry.credential("it"), registry.options(), EngineLog.NONE);
  }

  // ------------------------------------------------------------------------------------- images to join

  /**
   * Builds a one-platform image with the plugin's engine (one layer holding a file that names the image) and
   * pushes its manifest alone, not an index, under {@code repository:tag}, as a per-architecture
   * {@code podman push} would. {@code spec}: platform ('linux/arm64'), or os, arch, variant, osVersion; docker
   * (Docker v2 media types instead of OCI); seed (changes the content). Returns what was pushed: [digest,
   * mediaType, size, bytes, configDigest, configBytes, platform (the Platform the engine wrote)].
   */
  public static Map<String, Object> pushImage(TestRegistry registry, String repository, String tag, File workDir,
      Map<String, ?> spec) {
    Platform platform = spec.get("platform") != null
        ? Platform.parse("platforms", String.valueOf(spec.get("platform")))
        : Platform.of("platforms", text(spec.get("os")), text(spec.get("arch")), text(spec.get("variant")),
            text(spec.get("osVersion")), List.of());
    File dir = new File(workDir, "image-" + tag);
    deleteDir(dir);
    File content = new File(dir, "files/content.txt");
    content.getParentFile().mkdirs();
    Object seed = spec.get("seed");
    writeText(content, "image " + repository + ":" + tag + " for " + platform + ", "
        + (truthy(seed) ? String.valueOf(seed) : "") + "\n");
    BuildRequest request = new BuildRequest(null, List.of("1"),
        truthy(spec.get("docker")) ? ImageFormat.DOCKER : ImageFormat.OCI, "scratch",
        List.of(PlatformRequest.of(platform)),
        List.of(new LayerSpec("content", List.of(new LayerFile(content.toPath(), "/content.txt", null)))),
        ContainerSpec.empty(), Map.of(), Instant.parse("2026-01-01T00:00:00Z"), new File(dir, "out").toPath(),
        false, dir.toPath());
    BuildResult result = new MultiPlatformBuilder(EngineLog.NONE).build(request);
    ItChecks.check(result.images().size() == 1,
        "assert result.images().size() == 1: built " + result.images().size() + " images");
    OciLayout layout = OciLayout.open(result.layout());
    Descriptor descriptor = result.images().get(0).manifest();
    byte[] bytes = layout.readBlob(descriptor, OciJson.MAX_MANIFEST_BYTES);
    Map<String, Object> manifest = map(ItChecks.json(bytes));
    Map<String, Object> configDescriptor = map(manifest.get("config"));
    List<Object> blobs = new ArrayList<>();
    blobs.add(configDescriptor);
    blobs.addAll((Collection<?>) manifest.get("layers"));
    try (RegistryClient client = client(registry)) {
      for (Object blob : blobs) {
        Map<String, Object> entry = map(blob);
        Digest digest = Digest.parse(String.valueOf(entry.get("digest")));
        client.uploadBlob(repository, digest, ((Number) entry.get("size")).longValue(), layout.blobPath(digest));
      }
      client.putManifest(repository, tag, bytes, descriptor.mediaType());
    }
    byte[] config = ItChecks.bytes(
        layout.blobPath(Digest.parse(String.valueOf(configDescriptor.get("digest")))).toFile());
    Map<String, Object> pushed = new LinkedHashMap<>();
    pushed.put("digest", descriptor.digest().toString());
    pushed.put("mediaType", descriptor.mediaType());
    pushed.put("size", bytes.length);
    pushed.put("bytes", bytes);
    pushed.put("configDigest", configDescriptor.get("digest"));
    pushed.put("configBytes", config);
    pushed.put("platform", platform.toString());
    return pushed;
  }

  /**
   * Pushes by hand an OCI image whose config has {@code configFields} (e.g. only os, no architecture) and no
   * layers under {@code repository:tag}. Returns [digest, configDigest].
   */
  public static Map<String, Object> pushHandMadeImage(TestRegistry registry, String repository, String tag,
      File workDir, Map<String, ?> configFields) {
    Map<String, Object> configJson = new LinkedHashMap<>();
    configFields.forEach((key, value) -> configJson.put(String.valueOf(key), plain(value)));
    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", List.of());
    configJson.put("rootfs", rootfs);
    configJson.put("config", new LinkedHashMap<>());
    byte[] config = ItChecks.toJson(configJson);
    File configFile = new File(workDir, "config-" + tag + ".json");
    configFile.getParentFile().mkdirs();
    ItChecks.write(configFile, config);
    String configDigest = sha256(config);
    Map<String, Object> configDescriptor = new LinkedHashMap<>();
    configDescriptor.put("mediaType", OCI_CONFIG);
    configDescriptor.put("digest", configDigest);
    configDescriptor.put("size", config.length);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", configDescriptor);
    manifest.put("layers", List.of());
    byte[] bytes = ItChecks.toJson(manifest);
    try (RegistryClient client = client(registry)) {
      client.uploadBlob(repository, Digest.parse(configDigest), config.length, configFile.toPath());
      client.putManifest(repository, tag, bytes, OCI_MANIFEST);
    }
    Map<String, Object> pushed = new LinkedHashMap<>();
    pushed.put("digest", sha256(bytes));
    pushed.put("configDigest", configDigest);
    return pushed;
  }

  /**
   * Builds a multi-platform image with the engine (TestImages) and pushes it with the engine's pusher: the
   * index under {@code repository:tag}. Returns [digest: of the index, bytes: the index].
   */
  public static Map<String, Object> pushIndex(TestRegistry registry, String repository, String tag, File workDir,
      List<?> platforms, String seed) {
    File dir = new File(workDir, "index-" + tag);
    deleteDir(dir);
    BuildResult built = TestImages.build(dir.toPath(), tag, strings(platforms), seed, 0);
    try (RegistryClient client = client(registry)) {
      new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(built.layout(), tag,
          ImageName.parse("image", registry.host() + "/" + repository), List.of(tag), null, Map.of(), 2));
    }
    byte[] bytes = ItChecks.bytes(
        built.layout().resolve("blobs/" + built.index().digest().toString().replace(':', '/')).toFile());
    Map<String, Object> pushed = new LinkedHashMap<>();
    pushed.put("digest", built.index().digest().toString());
    pushed.put("bytes", bytes);
    return pushed;
  }

  // -------------------------------------------------------------------------------------------- skopeo

  public static Tools.Result skopeoResult(List<?> arguments) {
    return Tools.skopeo(strings(arguments).toArray(new String[0]));
  }

  public static byte[] skopeo(List<?> arguments) {
    return skopeoResult(arguments).check().stdoutBytes();
  }

  /** The exact bytes the registry serves for {@code repository:tag} or {@code repository@digest}. */
  public static byte[] raw(TestRegistry registry, String repository, String reference) {
    String separator = reference.startsWith("sha256:") ? "@" : ":";
    List<Object> arguments = new ArrayList<>(List.of("inspect", "--raw"));
    arguments.addAll(registry.skopeoOptions(""));
    arguments.add("docker://" + registry.host() + "/" + repository + separator + reference);
    return skopeo(arguments);
  }

  /** The config bytes skopeo picks from {@code repository:tag} with {@code platformOptions} (--override-…). */
  public static byte[] configFor(TestRegistry registry, String repository, String tag, List<?> platformOptions) {
    List<Object> arguments = new ArrayList<>(List.of("inspect", "--raw", "--config"));
    arguments.addAll(registry.skopeoOptions(""));
    arguments.addAll(platformOptions);
    arguments.add("docker://" + registry.host() + "/" + repository + ":" + tag);
    return skopeo(arguments);
  }

  /** Fails unless the registry says it has no {@code repository:tag} (or {@code repository@digest}). */
  public static void assertAbsent(TestRegistry registry, String repository, String reference) {
    String separator = reference.startsWith("sha256:") ? "@" : ":";
    List<Object> arguments = new ArrayList<>(List.of("inspect", "--raw"));
    arguments.addAll(registry.skopeoOptions(""));
    arguments.add("docker://" + registry.host() + "/" + repository + separator + reference);
    Tools.Result result = skopeoResult(arguments);
    check(!result.ok(), repository + separator + reference + " exists in the registry: " + result.stdout());
    check(result.stderr().contains("manifest unknown") || result.stderr().contains("name unknown"),
        "skopeo failed for another reason than a missing manifest: " + result.stderr());
  }

  /** The tags of a repository, empty when the registry does not know the repository. */
  public static List<String> tags(TestRegistry registry, String repository) {
    List<Object> arguments = new ArrayList<>(List.of("list-tags"));
    arguments.addAll(registry.skopeoOptions(""));
    arguments.add("docker://" + registry.host() + "/" + repository);
    Tools.Result result = skopeoResult(arguments);
    if (!result.ok()) {
      // distribution answers 404 NAME_UNKNOWN, which skopeo shows as such or as a bare 404
      check(result.stderr().contains("name unknown") || result.stderr().contains("404 (Not Found)"),
          "skopeo list-tags failed for another reason than an unknown repository: " + result.stderr());
      return new ArrayList<>();
    }
    Object tags = map(ItChecks.json(result.stdoutBytes())).get("Tags");
    return tags == null ? new ArrayList<>() : strings((List<?>) tags);
  }

  // ----------------------------------------------------------------------------------------- build.log

  /**
   * build.log split into the runs of the invocations (invoker.goals.N share one build.log): each run from its
   * "Scanning for projects..." on. A quiet run (-q) prints no such line and stays in the run before it.
   */
  public static List<String> runs(String log) {
    List<String> runs = new ArrayList<>();
    for (String part : RUN_START.split(log)) {
      if (part.startsWith(SCANNING)) {
        runs.add(part);
      }
    }
    return runs;
  }

  /**
   * For the log of one run that had to fail in {@code goal}: it failed there, its [ERROR] lines hold every
   * expected text (a String, or a Pattern to find), and it shows no stack trace or exception.
   */
  public static void assertRunFailed(String run, String goal, List<?> expected) {
    ItChecks.assertFailedIn(run, goal, expected);
  }

  public static void assertRunSucceeded(String run, String goal) {
    check(run.contains("BUILD SUCCESS") && !run.contains("BUILD FAILURE"),
        "the run of multiarch:" + goal + " did not succeed:\n" + run);
    check(run.contains(":" + goal + " (default-cli)"), "the run did not execute multiarch:" + goal + ":\n" + run);
  }

  /**
   * The JSON document a quiet run printed alone on standard output: the lines from one that is just "{" to the
   * next that is just "}", which must be the only non-blank lines between the runs around it.
   */
  public static Map<String, Object> quietJson(String log) {
    List<String> lines = log.lines().toList();
    int start = lines.indexOf("{");
    check(start >= 0, "no JSON document (a line \"{\") in build.log");
    int end = start + lines.subList(start, lines.size()).indexOf("}");
    check(end > start, "the JSON document in build.log does not end with a line \"}\"");
    String text = String.join("\n", lines.subList(start, end + 1));
    // nothing else of the quiet run: the run before it ends with "Finished at" and its rule; after it, the next
    // run's "Scanning for projects" or the invoker's note that verify.groovy runs
    List<String> before = lines.subList(0, start).stream().filter(line -> !line.isBlank()).toList();
    int n = before.size();
    check(n >= 2 && RULE.matcher(before.get(n - 1)).matches() && before.get(n - 2).startsWith("[INFO] Finished at"),
        "the quiet run printed more than the JSON before it: " + before.subList(Math.max(0, n - 3), n));
    List<String> after = lines.subList(end + 1, lines.size()).stream().filter(line -> !line.isBlank()).toList();
    check(after.isEmpty() || after.get(0).equals(SCANNING) || after.get(0).startsWith("Running post-build script"),
        "the quiet run printed more than the JSON after it: " + after.subList(0, Math.min(3, after.size())));
    Object document;
    try {
      document = ItChecks.json(text.getBytes(StandardCharsets.UTF_8));
    } catch (AssertionError e) {
      String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new AssertionError("the quiet run's standard output is not valid JSON (" + reason + "):\n" + text, e);
    }
    if (!(document instanceof Map)) {
      throw new AssertionError("the quiet run's standard output is not valid JSON (not an object):\n" + text);
    }
    return map(document);
  }

  // ------------------------------------------------------------------------------------------- helpers

  /** Writes what setup pushed, for verify (as JSON; byte arrays as their digests are enough). */
  public static void writeExpected(File basedir, Map<String, ? extends Map<String, ?>> images) {
    Map<String, Object> plain = new LinkedHashMap<>();
    images.forEach((name, image) -> {
      Map<String, Object> kept = new LinkedHashMap<>();
      image.forEach((key, value) -> {
        if (!(value instanceof byte[])) {
          kept.put(String.valueOf(key), plain(value));
        }
      });
      plain.put(String.valueOf(name), kept);
    });
    writeText(new File(basedir, "expected.json"), ItChecks.toPrettyJson(plain));
  }

  public static Map<String, Object> readExpected(File basedir) {
    File file = new File(basedir, "expected.json");
    check(file.isFile(), "setup.groovy wrote no " + file);
    return map(ItChecks.json(ItChecks.bytes(file)));
  }

  // ------------------------------------------------------------------------------------------ private

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /** A script's list (Strings, GStrings or anything else) as Strings. */
  private static List<String> strings(List<?> values) {
    List<String> strings = new ArrayList<>(values.size());
    for (Object value : values) {
      strings.add(String.valueOf(value));
    }
    return strings;
  }

  /** {@code value as String}: null stays null. */
  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  /** Groovy truth, for the values a spec map holds. */
  private static boolean truthy(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof CharSequence s) {
      return s.length() > 0;
    }
    if (value instanceof Number number) {
      return number.doubleValue() != 0;
    }
    if (value instanceof Collection<?> collection) {
      return !collection.isEmpty();
    }
    if (value instanceof Map<?, ?> map) {
      return !map.isEmpty();
    }
    return true;
  }

  /** Values for JSON: GStrings (any CharSequence) as Strings, maps and lists converted throughout. */
  private static Object plain(Object value) {
    if (value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put(String.valueOf(key), plain(item)));
      return copy;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>(collection.size());
      for (Object item : collection) {
        copy.add(plain(item));
      }
      return copy;
    }
    return value;
  }

  private static void writeText(File file, String text) {
    try {
      Files.writeString(file.toPath(), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
