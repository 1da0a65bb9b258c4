// examples/quickstart: the README's first example. Five platforms from scratch; the Java layers shared by all
// of them, and per platform the file platform/{platform}/platform.txt; the application in the image runs.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

File output = new File(basedir, 'target/multiarch')
File layout = new File(output, 'oci')
Map expected = [
    'linux/amd64'  : [os: 'linux', architecture: 'amd64'],
    'linux/arm64'  : [os: 'linux', architecture: 'arm64', variant: 'v8'],
    'linux/arm/v7' : [os: 'linux', architecture: 'arm', variant: 'v7'],
    'linux/ppc64le': [os: 'linux', architecture: 'ppc64le'],
    'linux/s390x'  : [os: 'linux', architecture: 's390x'],
]

// the summary the README shows
String log = new File(basedir, 'build.log').getText('UTF-8')
ItChecks.check(log.contains('multiarch: built registry.example.com/demo/quickstart OCI image index into'),
    'build.log lacks the summary line the README shows')
ItChecks.check((log =~ /(?m)^\[INFO\]   index +sha256:[0-9a-f]{64}  tags: 1\.0\.0, latest$/).find(),
    'build.log lacks the index line of the summary')

// both tags name the same index, over the five platforms
Map top = ItSupport.tagDescriptor(layout, '1.0.0')
assert ItSupport.tagDescriptor(layout, 'latest').digest == top.digest
assert new File(output, 'index.digest').getText('UTF-8').trim() == top.digest
Map index = ItChecks.json(ItChecks.blob(layout, top.digest, top.size as Long))
assert index.mediaType == ItChecks.OCI_INDEX
assert index.manifests*.platform == expected.values() as List
assert index.annotations['org.opencontainers.image.title'] == 'multiarch quickstart'
assert index.annotations['org.opencontainers.image.version'] == '1.0.0'

List<List<String>> javaLayers = []
File work = new File(basedir, 'target/unpacked')
expected.each { String name, Map platform ->
  String slug = ItSupport.platform(name).slug
  Map entry = index.manifests.find { it.platform == platform }
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  byte[] configBytes = ItSupport.skopeoConfig(layout, '1.0.0', name)
  ItChecks.check(ItChecks.sha256(configBytes) == manifest.config.digest, "skopeo chose another image than ${entry.digest} for ${name}")
  Map config = ItChecks.json(configBytes)
  assert config.architecture == platform.architecture && config.variant == platform.variant
  assert config.config.Entrypoint == ['java', '-Xss1m', '-cp', '@/app/jib-classpath-file', 'com.example.hello.Hello']
  assert config.config.Env.contains('GREETING=hello')
  assert config.config.ExposedPorts == ['8080/tcp': [:]]
  // dependencies, resources, classes, jvm-arg-files (shared), then platform-files (this platform's own)
  assert manifest.layers.size() == 5
  javaLayers << manifest.layers.take(4)*.digest

  File rootfs = ItSupport.unpack(layout, '1.0.0', name, work)
  assert new File(rootfs, 'etc/quickstart/platform.txt').getText('UTF-8').trim() == "built for ${slug}"
  assert new File(rootfs, 'app/libs/jackson-core-2.20.1.jar').isFile()
  assert new File(rootfs, 'app/resources/app.properties').isFile()
  assert new File(rootfs, 'app/classes/com/example/hello/Hello.class').isFile()
  if (name == 'linux/amd64') {
    // the image's entrypoint, its classpath file's paths pointed at the unpacked /app, runs the application
    String classpath = new File(rootfs, 'app/jib-classpath-file').text.replace('/app/', "${rootfs.path}/app/")
    List<String> command = [new File(System.getProperty('java.home'), 'bin/java').path] +
        config.config.Entrypoint.drop(1).collect { it == '@/app/jib-classpath-file' ? classpath : it }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
    builder.environment().put('GREETING', 'hello')
    Process process = builder.start()
    String out = process.inputStream.getText('UTF-8').trim()
    assert process.waitFor() == 0: out
    assert out == "hello from ${System.getProperty('os.arch')}"
  }
  println "quickstart ${name}: ${entry.digest}"
}
assert javaLayers.unique(false).size() == 1: "the Java layers differ between platforms: ${javaLayers}"

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
