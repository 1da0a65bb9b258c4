// The pushed index, read back with skopeo over plain HTTP, is byte for byte the local one; every blob can be
// pulled and verified; skopeo picks each platform's manifest out of it; the arm64 image pulled back runs under
// qemu; metadata.json records the push; and the second push uploaded nothing.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  String repository = 'it/hello'
  String tag = '1.0.0'
  Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  Map metadata = built.metadata
  List<Map> entries = built.json.manifests
  assert entries.size() == 5

  // metadata.json: the push section of the second run (nothing uploaded), naming what it pushed
  Map pushed = metadata.push
  assert pushed != null: 'metadata.json has no push section'
  assert pushed.repository == "${host}/${repository}".toString()
  assert pushed.tags == [tag]
  assert pushed.indexDigest == built.digest
  assert pushed.mediaType == ItChecks.OCI_INDEX
  assert pushed.bytesUploaded == 0: "the second push uploaded ${pushed.bytesUploaded} bytes"
  assert pushed.platforms*.manifestDigest == entries*.digest
  assert pushed.platforms*.tags == ['linux-amd64', 'linux-arm64', 'linux-arm-v7', 'linux-ppc64le', 'linux-s390x']
      .collect { ["${tag}-${it}".toString()] }

  // build.log: two push summaries; the first uploaded every blob (5 configs, 5 layers), the second none
  String log = ItChecks.buildLog(basedir)
  List<Map> summaries = PushIt.pushSummaries(log)
  assert summaries.size() == 2: "expected the summaries of two pushes in build.log, found ${summaries}"
  assert summaries[0].blobs == 10 && summaries[0].present == 0 && summaries[0].mounted == 0: summaries[0]
  assert summaries[0].bytes != '0 B'
  assert summaries[1] == [bytes: '0 B', blobs: 0, present: 10, mounted: 0]
  ItChecks.check(log.contains('uploaded 0 B'), 'build.log has no "uploaded 0 B" summary')
  ItChecks.check(log.contains("multiarch: ${host}: anonymous (no credentials found)"), 'build.log does not say the push was anonymous')

  // the registry serves the index under the tag as exactly the bytes of the local index blob
  byte[] remote = PushIt.rawManifest(registry, repository, tag)
  ItChecks.check(Arrays.equals(remote, built.bytes),
      "skopeo inspect --raw of ${host}/${repository}:${tag}:\n${new String(remote, 'UTF-8')}\nlocal index:\n${new String(built.bytes, 'UTF-8')}")

  // skopeo pulls the whole index and verifies every digest
  File work = new File(basedir, 'target/pulled')
  work.deleteDir()
  work.mkdirs()
  File all = new File(work, 'all')
  PushIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests', '--src-tls-verify=false', '--src-no-creds',
               "docker://${host}/${repository}:${tag}", "oci:${all.path}:x"])
  assert ItSupport.tagDescriptor(all, 'x').digest == built.digest

  // skopeo resolves each platform to its manifest, as podman and CRI-O would; each platform tag is that manifest
  ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].eachWithIndex { String name, int i ->
    Map data = ItSupport.platform(name)
    Map entry = entries[i]
    assert entry.platform.architecture == data.arch
    // skopeo inspect's Digest is the index's; the config it reads for the platform names the manifest it chose
    Map manifest = ItChecks.json(ItChecks.blob(new File(basedir, 'target/multiarch/oci'), entry.digest))
    byte[] config = PushIt.skopeo(['inspect', '--raw', '--config', '--tls-verify=false', '--no-creds']
        + ItSupport.skopeoPlatform(name) + ["docker://${host}/${repository}:${tag}"])
    assert ItChecks.sha256(config) == manifest.config.digest: "skopeo chose another manifest than ${entry.digest} for ${name}"
    Map inspected = ItChecks.json(PushIt.skopeo(['inspect', '--tls-verify=false', '--no-creds'] + ItSupport.skopeoPlatform(name)
        + ["docker://${host}/${repository}:${tag}"]))
    assert inspected.Architecture == data.arch
    assert inspected.Digest == built.digest
    byte[] platformTagged = PushIt.rawManifest(registry, repository, "${tag}-${data.slug}")
    ItChecks.check(Arrays.equals(platformTagged, ItChecks.blob(new File(basedir, 'target/multiarch/oci'), entry.digest)),
        "tag ${tag}-${data.slug} is not the ${name} manifest")
  }

  // the arm64 image, pulled back from the registry and unpacked by umoci, runs under qemu-aarch64
  File arm64 = new File(work, 'arm64')
  File bundle = new File(work, 'bundle-arm64')
  PushIt.skopeo(['copy', '--quiet', '--src-tls-verify=false', '--src-no-creds', '--override-os', 'linux',
               '--override-arch', 'arm64', '--override-variant', 'v8',
               "docker://${host}/${repository}:${tag}", "oci:${arm64.path}:x"])
  assert ItSupport.tagDescriptor(arm64, 'x').digest == entries[1].digest: 'skopeo pulled another manifest for linux/arm64'
  ItSupport.run(['umoci', 'unpack', '--rootless', '--image', "${arm64.path}:x", bundle.path])
  File hello = new File(bundle, 'rootfs/hello')
  assert hello.isFile(): 'no /hello in the arm64 image pulled from the registry'
  ItSupport.assertMachine(hello, 'linux/arm64')
  assert ItSupport.run(['qemu-aarch64-static', hello.path]).trim() == 'hello from linux/arm64'
  println "pulled ${host}/${repository}:${tag} for linux/arm64: hello from linux/arm64"
} finally {
  PushIt.closeAll(basedir)
}
return true
