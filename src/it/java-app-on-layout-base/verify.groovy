// Checks the Java application image built on the umoci-made base: per platform the base entry a runtime
// would choose (arm/v7 gets the v7 entry, not v6 nor the attestation), the base's layers first, its Env
// kept, the Java layers shared byte for byte by all platforms, the java entrypoint, and that the unpacked
// image holds a runnable application and a base binary that runs on its platform.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

File base = new File(basedir, 'base')
File output = new File(basedir, 'target/multiarch')
File layout = new File(output, 'oci')
String tag = '2.3.4'
Map expected = [
    'linux/amd64' : [os: 'linux', architecture: 'amd64'],
    'linux/arm64' : [os: 'linux', architecture: 'arm64', variant: 'v8'],
    'linux/arm/v7': [os: 'linux', architecture: 'arm', variant: 'v7'],
]

// the base's images, known by the BASE_PLATFORM that setup.groovy wrote into each config
Map baseIndex = ItChecks.json(ItChecks.blob(base, ItSupport.tagDescriptor(base, 'base').digest))
Map<String, Map> baseManifests = [:]
Map<String, Map> baseConfigs = [:]
baseIndex.manifests.findAll { it.platform.os == 'linux' }.each { Map entry ->
  Map manifest = ItChecks.json(ItChecks.blob(base, entry.digest))
  Map config = ItChecks.json(ItChecks.blob(base, manifest.config.digest))
  String name = config.config.Env.find { it.startsWith('BASE_PLATFORM=') }.substring('BASE_PLATFORM='.length())
  baseManifests[name] = manifest
  baseConfigs[name] = config
}
assert baseManifests.keySet() == ['linux/amd64', 'linux/arm64', 'linux/arm/v6', 'linux/arm/v7'] as Set
assert baseManifests['linux/arm/v6'].layers*.digest != baseManifests['linux/arm/v7'].layers*.digest

// the index: three platforms, the POM's annotations
Map top = ItSupport.tagDescriptor(layout, tag)
assert new File(output, 'index.digest').getText('UTF-8').trim() == top.digest
Map index = ItChecks.json(ItChecks.blob(layout, top.digest, top.size as Long))
assert index.mediaType == ItChecks.OCI_INDEX
assert index.manifests*.platform == expected.values() as List
assert index.annotations['org.opencontainers.image.title'] == 'Java app on a layout base'
assert index.annotations['org.opencontainers.image.version'] == '2.3.4'
assert index.annotations['org.opencontainers.image.description'].startsWith('A Java application with dependencies')
assert index.annotations['org.opencontainers.image.created'] == '2026-01-01T00:00:00Z'

List<String> entrypoint = ['java', '-Xss1m', '-XX:+UseSerialGC', '-cp', '@/app/jib-classpath-file', 'com.example.app.App']
List<List> appLayers = []
File work = new File(basedir, 'target/unpacked')
expected.each { String name, Map platform ->
  Map entry = index.manifests.find { it.platform == platform }
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  byte[] configBytes = ItSupport.skopeoConfig(layout, tag, name)
  ItChecks.check(ItChecks.sha256(configBytes) == manifest.config.digest, "skopeo chose another image than ${entry.digest} for ${name}")
  Map config = ItChecks.json(configBytes)
  assert config.os == 'linux'
  assert config.architecture == platform.architecture
  assert config.variant == platform.variant

  // the base a runtime on this platform would choose, its layers first, its history and Env kept
  Map baseManifest = baseManifests[name]
  Map baseConfig = baseConfigs[name]
  int baseLayers = baseManifest.layers.size()
  assert baseLayers == 1
  assert manifest.layers.take(baseLayers)*.digest == baseManifest.layers*.digest: "${name} is not on its base entry"
  assert config.rootfs.diff_ids.take(baseLayers) == baseConfig.rootfs.diff_ids
  assert config.config.Env.contains('BASE=1')
  assert config.config.Env.contains("BASE_PLATFORM=${name}".toString()): "${name} got the config of another base entry: ${config.config.Env}"
  assert config.config.Env.contains('APP_MODE=container')
  assert config.history.take(baseConfig.history.size())*.created_by == baseConfig.history*.created_by

  // the Java application
  assert config.config.Entrypoint == entrypoint
  assert config.config.ExposedPorts == ['8080/tcp': [:], '9090/udp': [:]]
  assert config.config.Labels['com.example.team'] == 'platform'
  List ours = manifest.layers.drop(baseLayers)
  assert ours.size() == 4: "expected the dependencies, resources, classes and jvm-arg-files layers: ${ours}"
  assert config.history.findAll { !it.empty_layer }.takeRight(4)*.created_by ==
      ['dependencies', 'resources', 'classes', 'jvm-arg-files'].collect { "multiarch-maven-plugin: layer ${it}".toString() }
  appLayers << ours*.digest

  // unpacked: the base binary is this platform's and runs there; the application is complete
  File rootfs = ItSupport.unpack(layout, tag, name, work)
  File baseHello = new File(rootfs, 'bin/base-hello')
  ItSupport.assertMachine(baseHello, name)
  assert ItSupport.runBinary(baseHello, name) == "hello from ${name}"
  File libs = new File(rootfs, 'app/libs')
  assert (libs.list() as List).sort() == ['commons-lang3-3.18.0.jar', 'commons-text-1.12.0.jar']
  ItSupport.checkSameBytes(new File(libs, 'commons-lang3-3.18.0.jar'),
      new File(localRepositoryPath, 'org/apache/commons/commons-lang3/3.18.0/commons-lang3-3.18.0.jar'),
      "/app/libs/commons-lang3-3.18.0.jar of ${name} is not the dependency")
  ItSupport.checkSameBytes(new File(rootfs, 'app/resources/app.properties'),
      new File(basedir, 'src/main/resources/app.properties'), "/app/resources/app.properties of ${name}")
  assert new File(rootfs, 'app/classes/com/example/app/App.class').isFile()
  assert new File(rootfs, 'app/classes/com/example/app/Greeter.class').isFile()
  assert !new File(rootfs, 'app/resources/com').exists(): 'classes in the resources layer'
  // Jib's two files: the classpath in Maven's order (the POM lists commons-lang3, then commons-text)
  assert new File(rootfs, 'app/jib-classpath-file').text == '/app/resources:/app/classes:' +
      '/app/libs/commons-lang3-3.18.0.jar:/app/libs/commons-text-1.12.0.jar'
  assert new File(rootfs, 'app/jib-main-class-file').text == 'com.example.app.App'
  println "${name}: ${entry.digest} on ${baseManifest.layers[0].digest}"
  if (name == 'linux/amd64') {
    // the entrypoint's class path, pointed at the unpacked /app, starts the application with this JVM
    String classpath = new File(rootfs, 'app/jib-classpath-file').text.replace('/app/', "${rootfs.path}/app/")
    List<String> command = [new File(System.getProperty('java.home'), 'bin/java').path] +
        entrypoint.drop(1).collect { it == '@/app/jib-classpath-file' ? classpath : it }
    assert ItSupport.run(command).trim() == 'Hello from the resources layer, Multi Platform World!'
  }
}
// the Java layers hold nothing platform-specific: the same blobs for every platform
assert appLayers.unique(false).size() == 1: "the Java layers differ between platforms: ${appLayers}"

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
