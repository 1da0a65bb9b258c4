// examples/java-app: a Java application with real dependencies (Jackson, Commons Lang) and <container><mainClass>:
// its dependencies, resources and classes as layers shared by both platforms, the container settings of the
// POM in each config, and the application, unpacked from the image, runs from its entrypoint's class path. Each
// platform carries an SBOM (attestations are on by default) listing the libraries by purl, hash and license.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.SupplyChainIt

File output = new File(basedir, 'target/multiarch')
File layout = new File(output, 'oci')
Map expected = [
    'linux/amd64': [os: 'linux', architecture: 'amd64'],
    'linux/arm64': [os: 'linux', architecture: 'arm64', variant: 'v8'],
]
List<String> entrypoint = ['java', '-XX:MaxRAMPercentage=75', '-cp', '@/app/jib-classpath-file', 'com.example.app.App']
// Maven's runtime classpath order (mvn dependency:build-classpath prints the same): the POM's first dependency
// and what it brings, then the second
String classpath = '/app/resources:/app/classes:/app/libs/jackson-databind-2.20.1.jar:' +
    '/app/libs/jackson-annotations-2.20.jar:/app/libs/jackson-core-2.20.1.jar:/app/libs/commons-lang3-3.18.0.jar'

Map top = ItSupport.tagDescriptor(layout, '1.0.0')
assert ItSupport.tagDescriptor(layout, 'latest').digest == top.digest
Map index = ItChecks.json(ItChecks.blob(layout, top.digest, top.size as Long))
assert index.manifests*.platform == expected.values() as List
assert index.annotations['org.opencontainers.image.title'] == 'java-app'

List<List> appLayers = []
File work = new File(basedir, 'target/unpacked')
expected.each { String name, Map platform ->
  Map entry = index.manifests.find { it.platform == platform }
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  Map config = ItChecks.json(ItSupport.skopeoConfig(layout, '1.0.0', name))
  assert config.architecture == platform.architecture && config.variant == platform.variant
  assert config.config.Entrypoint == entrypoint
  assert config.config.Env.contains('GREETING=Hello')
  assert config.config.WorkingDir == '/app'
  assert config.config.User == '1000:1000'
  assert config.config.ExposedPorts == ['8080/tcp': [:]]
  assert config.config.Labels == ['com.example.team': 'platform']
  assert config.history.findAll { !it.empty_layer }*.created_by ==
      ['dependencies', 'resources', 'classes', 'jvm-arg-files'].collect { "multiarch-maven-plugin: layer ${it}".toString() }
  appLayers << manifest.layers*.digest

  File rootfs = ItSupport.unpack(layout, '1.0.0', name, work)
  File libs = new File(rootfs, 'app/libs')
  assert (libs.list() as List).sort() == ['commons-lang3-3.18.0.jar', 'jackson-annotations-2.20.jar',
                                          'jackson-core-2.20.1.jar', 'jackson-databind-2.20.1.jar']
  assert new File(rootfs, 'app/resources/greeting.json').isFile()
  assert new File(rootfs, 'app/jib-classpath-file').text == classpath
  assert new File(rootfs, 'app/jib-main-class-file').text == 'com.example.app.App'
  SupplyChainIt.checkJavaSbom(SupplyChainIt.layoutReferrer(layout, entry.digest, SupplyChainIt.SBOM_TYPE), libs, [
      'jackson-databind-2.20.1.jar'   : 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.20.1?type=jar',
      'jackson-annotations-2.20.jar'  : 'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.20?type=jar',
      'jackson-core-2.20.1.jar'       : 'pkg:maven/com.fasterxml.jackson.core/jackson-core@2.20.1?type=jar',
      'commons-lang3-3.18.0.jar'      : 'pkg:maven/org.apache.commons/commons-lang3@3.18.0?type=jar'], 'Apache-2.0')
  if (name == 'linux/amd64') {
    // the entrypoint, with the classpath file's paths pointed at the unpacked /app, run by this JVM
    List<String> command = [new File(System.getProperty('java.home'), 'bin/java').path] +
        entrypoint.drop(1).collect { it == '@/app/jib-classpath-file' ? classpath.replace('/app/', "${rootfs.path}/app/") : it }
    String out = ItSupport.run(command).trim()
    assert out.startsWith("Hello, Multi-platform world! (${System.getProperty('os.arch')}, Java "): out
  }
  println "java-app ${name}: ${entry.digest}"
}
assert appLayers.unique(false).size() == 1: "the Java layers differ between platforms: ${appLayers}"

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
