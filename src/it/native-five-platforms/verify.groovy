// Checks the five-platform native image with independent tools: the index's platforms, skopeo's platform
// selection, the exact index bytes, and that each platform's /hello, unpacked by umoci, is a binary for that
// machine that really runs there (natively or under qemu-user) and says so.
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.time.Instant

import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

File output = new File(basedir, 'target/multiarch')
File layout = new File(output, 'oci')
String tag = '1.0.0' // no <tags>: the project version
Map expected = [
    'linux/amd64'  : [os: 'linux', architecture: 'amd64'],
    'linux/arm64'  : [os: 'linux', architecture: 'arm64', variant: 'v8'],
    'linux/arm/v7' : [os: 'linux', architecture: 'arm', variant: 'v7'],
    'linux/ppc64le': [os: 'linux', architecture: 'ppc64le'],
    'linux/s390x'  : [os: 'linux', architecture: 's390x'],
]

// index.json names the index by its one tag; index.digest and metadata.json agree with it
Map layoutIndex = ItChecks.json(new File(layout, 'index.json'))
// one image (its tag); the other entries are the attestations the build attached, each naming its subject
List attestations = layoutIndex.manifests.findAll { it.annotations?.containsKey('io.github.multiarch.referrer.subject') }
assert layoutIndex.manifests.size() - attestations.size() == 1
assert attestations.size() == 10: 'an SBOM and a provenance statement for each of the 5 platforms'
assert attestations*.artifactType as Set == ['application/vnd.cyclonedx+json', 'application/vnd.in-toto+json'] as Set
Map top = ItSupport.tagDescriptor(layout, tag)
assert top.mediaType == ItChecks.OCI_INDEX
byte[] indexBytes = ItChecks.blob(layout, top.digest, top.size as Long)
assert new File(output, 'index.digest').getText('UTF-8').trim() == top.digest
Map metadata = ItChecks.json(new File(output, 'metadata.json'))
assert metadata.indexDigest == top.digest
assert metadata.tags == [tag]
assert metadata.platforms*.platform == ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x']

// exactly the five platforms, in the configured order, with variant where it belongs and nothing else
Map index = ItChecks.json(indexBytes)
assert index.schemaVersion == 2
assert index.mediaType == ItChecks.OCI_INDEX
assert index.manifests.size() == 5
assert index.manifests*.platform == expected.values() as List
assert index.manifests*.mediaType.every { it == ItChecks.OCI_MANIFEST }

// skopeo reads the layout's index as exactly the bytes of the index blob
byte[] raw = ItSupport.runBytes(['skopeo', 'inspect', '--raw', "oci:${layout.path}:${tag}"])
ItChecks.check(Arrays.equals(raw, indexBytes),
    "skopeo inspect --raw: ${new String(raw, 'UTF-8')}\nindex blob: ${new String(indexBytes, 'UTF-8')}")

// skopeo copies the whole index, verifying every blob, without changing a digest
File work = new File(basedir, 'target/unpacked')
File copyAll = new File(work, 'copy-all')
copyAll.deleteDir()
work.mkdirs()
ItSupport.run(['skopeo', 'copy', '--quiet', '--all', '--preserve-digests', "oci:${layout.path}:${tag}", "oci:${copyAll.path}:${tag}"])
assert ItSupport.tagDescriptor(copyAll, tag).digest == top.digest

Set<String> configDigests = new HashSet<>()
Set<String> layerDigests = new HashSet<>()
expected.each { String name, Map platform ->
  Map data = ItSupport.platform(name)
  Map entry = index.manifests.find { it.platform == platform }
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  assert manifest.mediaType == ItChecks.OCI_MANIFEST
  assert manifest.config.mediaType == ItChecks.OCI_CONFIG
  assert metadata.platforms.find { it.manifestDigest == entry.digest }?.configDigest == manifest.config.digest

  // the config skopeo selects for this platform is the one this entry names, and it says the same platform
  byte[] configBytes = ItSupport.skopeoConfig(layout, tag, name)
  ItChecks.check(ItChecks.sha256(configBytes) == manifest.config.digest, "skopeo chose another image than ${entry.digest} for ${name}")
  Map config = ItChecks.json(configBytes)
  assert config.os == 'linux'
  assert config.architecture == platform.architecture
  assert config.variant == platform.variant
  assert config.created == '2026-01-01T00:00:00Z'
  assert config.config.Entrypoint == ['/hello']
  assert manifest.layers.size() == 1
  assert config.rootfs.diff_ids.size() == 1
  configDigests << manifest.config.digest
  layerDigests << manifest.layers[0].digest

  // unpacked by umoci, /hello is this platform's binary, mode 755, with the build's timestamp, and it runs
  File rootfs = ItSupport.unpack(layout, tag, name, work)
  File hello = new File(rootfs, 'hello')
  assert hello.isFile(): "no /hello in the ${name} image"
  ItSupport.checkSameBytes(hello, new File(basedir, "bin/${data.slug}/hello"), "/hello of ${name} is not bin/${data.slug}/hello")
  assert PosixFilePermissions.toString(Files.getPosixFilePermissions(hello.toPath())) == 'rwxr-xr-x'
  assert Instant.ofEpochMilli(hello.lastModified()) == Instant.parse('2026-01-01T00:00:00Z')
  ItSupport.assertMachine(hello, name)
  assert ItSupport.runBinary(hello, name) == "hello from ${name}"
  println "${name}: ${entry.digest} runs: hello from ${name}"
}
assert configDigests.size() == 5: 'the platforms share a config'
assert layerDigests.size() == 5: 'the platforms share a layer although each has its own binary'

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
