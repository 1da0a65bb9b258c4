// examples/native-hello: the build cross-compiled src/main/c/hello.c for three platforms (exec-maven-plugin
// and the Debian cross compilers) and put each binary in its platform's image with one layer line. Checked
// with independent tools: skopeo's platform selection, umoci's unpacking, file, and running each
// /usr/local/bin/hello natively or under qemu-user.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

File output = new File(basedir, 'target/multiarch')
File layout = new File(output, 'oci')
String tag = '1.0.0'
Map expected = [
    'linux/amd64' : [os: 'linux', architecture: 'amd64'],
    'linux/arm64' : [os: 'linux', architecture: 'arm64', variant: 'v8'],
    'linux/arm/v7': [os: 'linux', architecture: 'arm', variant: 'v7'],
]

Map top = ItSupport.tagDescriptor(layout, tag)
Map index = ItChecks.json(ItChecks.blob(layout, top.digest, top.size as Long))
assert index.mediaType == ItChecks.OCI_INDEX
assert index.manifests*.platform == expected.values() as List
Map metadata = ItChecks.json(new File(output, 'metadata.json'))
assert metadata.image == 'registry.example.com/demo/native-hello'

File work = new File(basedir, 'target/unpacked')
Set<String> layers = []
expected.each { String name, Map platform ->
  String slug = ItSupport.platform(name).slug
  File built = new File(basedir, "target/bin/${slug}/hello")
  ItSupport.assertMachine(built, name)

  Map entry = index.manifests.find { it.platform == platform }
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  byte[] configBytes = ItSupport.skopeoConfig(layout, tag, name)
  ItChecks.check(ItChecks.sha256(configBytes) == manifest.config.digest, "skopeo chose another image than ${entry.digest} for ${name}")
  Map config = ItChecks.json(configBytes)
  assert config.architecture == platform.architecture && config.variant == platform.variant
  assert config.config.Entrypoint == ['/usr/local/bin/hello']
  assert manifest.layers.size() == 1
  layers << manifest.layers[0].digest

  File rootfs = ItSupport.unpack(layout, tag, name, work)
  File hello = new File(rootfs, 'usr/local/bin/hello')
  ItSupport.checkSameBytes(hello, built, "/usr/local/bin/hello of ${name} is not target/bin/${slug}/hello")
  ItSupport.assertMachine(hello, name)
  assert ItSupport.runBinary(hello, name) == "hello from ${name}"
  println "native-hello ${name}: ${entry.digest} runs: hello from ${name}"
}
assert layers.size() == 3: 'the platforms share a layer although each has its own binary'

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
