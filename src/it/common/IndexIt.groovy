// Helpers of the index-* integration tests (src/it/index-*: create, annotate, inspect through Maven): images
// built with the plugin's engine and pushed as single manifests under a tag (what `podman push` of a
// per-architecture build leaves), hand-made images, checks with skopeo, and build.log split into the runs of
// a test's invocations. Not an integration test itself (no pom.xml here). Load it next to PushIt:
//   def loader = new GroovyClassLoader(getClass().classLoader)
//   loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
//   def push = loader.loadClass('PushIt')
//   def index = loader.loadClass('IndexIt')

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.github.multiarch.EngineLog
import io.github.multiarch.build.BuildRequest
import io.github.multiarch.build.ContainerSpec
import io.github.multiarch.build.MultiPlatformBuilder
import io.github.multiarch.build.PlatformRequest
import io.github.multiarch.layer.LayerFile
import io.github.multiarch.layer.LayerSpec
import io.github.multiarch.layout.OciLayout
import io.github.multiarch.oci.Digest
import io.github.multiarch.oci.ImageFormat
import io.github.multiarch.oci.ImageName
import io.github.multiarch.oci.OciJson
import io.github.multiarch.oci.Platform
import io.github.multiarch.registry.LayoutPusher
import io.github.multiarch.registry.PushRequest
import io.github.multiarch.registry.RegistryClient
import io.github.multiarch.testing.TestImages
import io.github.multiarch.testing.TestRegistry
import io.github.multiarch.testing.Tools

import java.nio.file.Files
import java.security.MessageDigest
import java.time.Instant

class IndexIt {
  static final String OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
  static final String OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
  static final String OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
  static final String DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'

  static RegistryClient client(TestRegistry registry) {
    return new RegistryClient(registry.host(), registry.credential('it'), registry.options(), EngineLog.NONE)
  }

  // ------------------------------------------------------------------------------------- images to join

  /**
   * Builds a one-platform image with the plugin's engine (one layer holding a file that names the image) and
   * pushes its manifest alone, not an index, under {@code repository:tag}, as a per-architecture
   * {@code podman push} would. {@code spec}: platform ('linux/arm64'), or os, arch, variant, osVersion; docker
   * (Docker v2 media types instead of OCI); seed (changes the content). Returns what was pushed: [digest,
   * mediaType, size, bytes, configDigest, configBytes, platform (the Platform the engine wrote)].
   */
  static Map pushImage(TestRegistry registry, String repository, String tag, File workDir, Map spec) {
    Platform platform = spec.platform != null ? Platform.parse('platforms', spec.platform as String)
        : Platform.of('platforms', spec.os as String, spec.arch as String, spec.variant as String,
            spec.osVersion as String, [])
    File dir = new File(workDir, "image-${tag}")
    dir.deleteDir()
    File content = new File(dir, 'files/content.txt')
    content.parentFile.mkdirs()
    content.setText("image ${repository}:${tag} for ${platform}, ${spec.seed ?: ''}\n", 'UTF-8')
    def request = new BuildRequest(null, ['1'], spec.docker ? ImageFormat.DOCKER : ImageFormat.OCI, 'scratch',
        [PlatformRequest.of(platform)],
        [new LayerSpec('content', [new LayerFile(content.toPath(), '/content.txt', null)])],
        ContainerSpec.empty(), [:], Instant.parse('2026-01-01T00:00:00Z'), new File(dir, 'out').toPath(), false,
        dir.toPath())
    def result = new MultiPlatformBuilder(EngineLog.NONE).build(request)
    assert result.images().size() == 1
    OciLayout layout = OciLayout.open(result.layout())
    def descriptor = result.images()[0].manifest()
    byte[] bytes = layout.readBlob(descriptor, OciJson.MAX_MANIFEST_BYTES)
    Map manifest = new JsonSlurper().parse(bytes) as Map
    RegistryClient client = client(registry)
    ([manifest.config] + manifest.layers).each { Map blob ->
      Digest digest = Digest.parse(blob.digest as String)
      client.uploadBlob(repository, digest, blob.size as long, layout.blobPath(digest))
    }
    client.putManifest(repository, tag, bytes, descriptor.mediaType())
    byte[] config = layout.blobPath(Digest.parse(manifest.config.digest as String)).toFile().bytes
    return [digest      : descriptor.digest().toString(), mediaType: descriptor.mediaType(), size: bytes.length,
            bytes       : bytes, configDigest: manifest.config.digest, configBytes: config,
            platform    : platform.toString()]
  }

  /**
   * Pushes by hand an OCI image whose config has {@code configFields} (e.g. only os, no architecture) and no
   * layers under {@code repository:tag}. Returns [digest, configDigest].
   */
  static Map pushHandMadeImage(TestRegistry registry, String repository, String tag, File workDir, Map configFields) {
    Map configJson = configFields + [rootfs: [type: 'layers', diff_ids: []], config: [:]]
    byte[] config = JsonOutput.toJson(configJson).getBytes('UTF-8')
    File configFile = new File(workDir, "config-${tag}.json")
    configFile.parentFile.mkdirs()
    configFile.bytes = config
    String configDigest = sha256(config)
    RegistryClient client = client(registry)
    client.uploadBlob(repository, Digest.parse(configDigest), config.length, configFile.toPath())
    Map manifest = [schemaVersion: 2, mediaType: OCI_MANIFEST,
                    config: [mediaType: OCI_CONFIG, digest: configDigest, size: config.length], layers: []]
    byte[] bytes = JsonOutput.toJson(manifest).getBytes('UTF-8')
    client.putManifest(repository, tag, bytes, OCI_MANIFEST)
    return [digest: sha256(bytes), configDigest: configDigest]
  }

  /**
   * Builds a multi-platform image with the engine (TestImages) and pushes it with the engine's pusher: the
   * index under {@code repository:tag}. Returns [digest: of the index, bytes: the index].
   */
  static Map pushIndex(TestRegistry registry, String repository, String tag, File workDir, List<String> platforms,
      String seed) {
    File dir = new File(workDir, "index-${tag}")
    dir.deleteDir()
    def built = TestImages.build(dir.toPath(), tag, platforms, seed, 0)
    new LayoutPusher(client(registry), EngineLog.NONE).push(new PushRequest(built.layout(), tag,
        ImageName.parse('image', "${registry.host()}/${repository}".toString()), [tag], null, [:], 2))
    byte[] bytes = built.layout().resolve('blobs/' + built.index().digest().toString().replace(':', '/')).toFile().bytes
    return [digest: built.index().digest().toString(), bytes: bytes]
  }

  // -------------------------------------------------------------------------------------------- skopeo

  static Tools.Result skopeoResult(List<Object> arguments) {
    return Tools.skopeo(arguments.collect { it.toString() } as String[])
  }

  static byte[] skopeo(List<Object> arguments) {
    return skopeoResult(arguments).check().stdoutBytes()
  }

  /** The exact bytes the registry serves for {@code repository:tag} or {@code repository@digest}. */
  static byte[] raw(TestRegistry registry, String repository, String reference) {
    String separator = reference.startsWith('sha256:') ? '@' : ':'
    return skopeo(['inspect', '--raw'] + registry.skopeoOptions('')
        + ["docker://${registry.host()}/${repository}${separator}${reference}"])
  }

  /** The config bytes skopeo picks from {@code repository:tag} with {@code platformOptions} (--override-…). */
  static byte[] configFor(TestRegistry registry, String repository, String tag, List<String> platformOptions) {
    return skopeo(['inspect', '--raw', '--config'] + registry.skopeoOptions('') + platformOptions
        + ["docker://${registry.host()}/${repository}:${tag}"])
  }

  /** Fails unless the registry says it has no {@code repository:tag} (or {@code repository@digest}). */
  static void assertAbsent(TestRegistry registry, String repository, String reference) {
    String separator = reference.startsWith('sha256:') ? '@' : ':'
    def result = skopeoResult(['inspect', '--raw'] + registry.skopeoOptions('')
        + ["docker://${registry.host()}/${repository}${separator}${reference}"])
    assert !result.ok(): "${repository}${separator}${reference} exists in the registry: ${result.stdout()}"
    assert result.stderr().contains('manifest unknown') || result.stderr().contains('name unknown'):
        "skopeo failed for another reason than a missing manifest: ${result.stderr()}"
  }

  /** The tags of a repository, empty when the registry does not know the repository. */
  static List<String> tags(TestRegistry registry, String repository) {
    def result = skopeoResult(['list-tags'] + registry.skopeoOptions('')
        + ["docker://${registry.host()}/${repository}"])
    if (!result.ok()) {
      // distribution answers 404 NAME_UNKNOWN, which skopeo shows as such or as a bare 404
      assert result.stderr().contains('name unknown') || result.stderr().contains('404 (Not Found)'):
          "skopeo list-tags failed for another reason than an unknown repository: ${result.stderr()}"
      return []
    }
    return (new JsonSlurper().parse(result.stdoutBytes()) as Map).Tags as List<String> ?: []
  }

  // ----------------------------------------------------------------------------------------- build.log

  /** build.log without terminal colour codes. */
  static String buildLog(File basedir) {
    File file = new File(basedir, 'build.log')
    assert file.isFile(): "no build.log in ${basedir}"
    return file.getText('UTF-8').replaceAll('\u001B\\[[0-9;]*m', '')
  }

  /**
   * build.log split into the runs of the invocations (invoker.goals.N share one build.log): each run from its
   * "Scanning for projects..." on. A quiet run (-q) prints no such line and stays in the run before it.
   */
  static List<String> runs(String log) {
    List<String> parts = log.split(/(?m)^(?=\[INFO\] Scanning for projects\.\.\.$)/) as List<String>
    return parts.findAll { it.startsWith('[INFO] Scanning for projects...') }
  }

  /**
   * For the log of one run that had to fail in {@code goal}: it failed there, its [ERROR] lines hold every
   * expected text (a String, or a Pattern to find), and it shows no stack trace or exception.
   */
  static void assertRunFailed(String run, String goal, List<Object> expected) {
    List<String> lines = run.readLines()
    String errorText = lines.findAll { it.startsWith('[ERROR]') }.join('\n')
    String shown = "\n--- [ERROR] lines of the run:\n${errorText}"
    check(run.contains('BUILD FAILURE'), "the run did not fail${shown}")
    check((run =~ /Failed to execute goal io\.github\.multiarch:multiarch-maven-plugin:[^ ]+:${goal} /).find(),
        "the run failed, but not in multiarch:${goal}${shown}")
    for (Object text : expected) {
      if (text instanceof java.util.regex.Pattern) {
        check(text.matcher(errorText).find(), "no [ERROR] line of the run matches /${text}/${shown}")
      } else {
        check(errorText.contains(text.toString()), "no [ERROR] line of the run says '${text}'${shown}")
      }
    }
    List<String> traces = lines.findAll { it.trim() ==~ /at [a-zA-Z_$][\w$.]*\(.*\)/ }
    check(traces.isEmpty(), "the run shows a stack trace at the default log level:\n${traces.take(10).join('\n')}")
    List<String> exceptions = lines.findAll { it.startsWith('[ERROR]') && (it.contains('Exception:') || it.contains('Caused by')) }
    check(exceptions.isEmpty(), "the run shows an exception at the default log level:\n${exceptions.join('\n')}")
  }

  static void assertRunSucceeded(String run, String goal) {
    check(run.contains('BUILD SUCCESS') && !run.contains('BUILD FAILURE'), "the run of multiarch:${goal} did not succeed:\n${run}")
    check(run.contains(":${goal} (default-cli)"), "the run did not execute multiarch:${goal}:\n${run}")
  }

  /**
   * The JSON document a quiet run printed alone on standard output: the lines from one that is just "{" to the
   * next that is just "}", which must be the only non-blank lines between the runs around it.
   */
  static Map quietJson(String log) {
    List<String> lines = log.readLines()
    int start = lines.indexOf('{')
    assert start >= 0: 'no JSON document (a line "{") in build.log'
    int end = start + lines.subList(start, lines.size()).indexOf('}')
    assert end > start: 'the JSON document in build.log does not end with a line "}"'
    String text = lines.subList(start, end + 1).join('\n')
    // nothing else of the quiet run: the run before it ends with "Finished at" and its rule; after it, the next
    // run's "Scanning for projects" or the invoker's note that verify.groovy runs
    List<String> before = lines.subList(0, start).findAll { !it.isBlank() }
    assert before && before[-1] ==~ /\[INFO\] -+/ && before[-2].startsWith('[INFO] Finished at'):
        "the quiet run printed more than the JSON before it: ${before.takeRight(3)}"
    List<String> after = lines.subList(end + 1, lines.size()).findAll { !it.isBlank() }
    assert after.isEmpty() || after[0] == '[INFO] Scanning for projects...' || after[0].startsWith('Running post-build script'):
        "the quiet run printed more than the JSON after it: ${after.take(3)}"
    try {
      return new JsonSlurper().parseText(text) as Map
    } catch (Exception e) {
      throw new AssertionError("the quiet run's standard output is not valid JSON (${e.message}):\n${text}")
    }
  }

  // ------------------------------------------------------------------------------------------- helpers

  static void check(boolean ok, Object message) {
    if (!ok) {
      throw new AssertionError(message.toString())
    }
  }

  static Object json(byte[] bytes) {
    return new JsonSlurper().parse(bytes)
  }

  static String sha256(byte[] bytes) {
    return 'sha256:' + MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
  }

  /** Writes what setup pushed, for verify (as JSON; byte arrays as their digests are enough). */
  static void writeExpected(File basedir, Map<String, Map> images) {
    Map plain = images.collectEntries { k, v -> [k, v.findAll { !(it.value instanceof byte[]) }] }
    new File(basedir, 'expected.json').setText(JsonOutput.prettyPrint(JsonOutput.toJson(plain)), 'UTF-8')
  }

  static Map readExpected(File basedir) {
    File file = new File(basedir, 'expected.json')
    assert file.isFile(): "setup.groovy wrote no ${file}"
    return new JsonSlurper().parse(file) as Map
  }
}
