// Each platform, pulled back from the registry by skopeo the way podman and CRI-O choose it, is the image built
// from that platform's files (dist/greet-linux-arm64 and conf/aarch64.txt for linux/arm64), runs there, and is
// also tagged Makefile-style (1.0.0-arm64, 1.0.0-armv7).
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  String repository = 'it/greet'
  String tag = '1.0.0'
  Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  List<Map> entries = built.json.manifests
  Map expected = [
      'linux/amd64'  : [tag: 'amd64', machine: 'x86_64'],
      'linux/arm64'  : [tag: 'arm64', machine: 'aarch64'],
      'linux/arm/v7' : [tag: 'armv7', machine: 'armv7l'],
      'linux/ppc64le': [tag: 'ppc64le', machine: 'ppc64le'],
      'linux/s390x'  : [tag: 's390x', machine: 's390x'],
  ]
  assert entries.size() == expected.size()
  assert entries[1].platform == [architecture: 'arm64', os: 'linux', variant: 'v8']: 'the index entry keeps arm64/v8'
  assert built.metadata.push.platforms*.tags == expected.values().collect { ["${tag}-${it.tag}".toString()] }

  File work = new File(basedir, 'target/pulled')
  work.deleteDir()
  work.mkdirs()
  expected.eachWithIndex { String name, Map want, int i ->
    String slug = ItSupport.platform(name).slug
    File image = new File(work, "image-${slug}")
    File bundle = new File(work, "bundle-${slug}")
    PushIt.skopeo(['copy', '--quiet', '--src-tls-verify=false', '--src-no-creds'] + ItSupport.skopeoPlatform(name)
        + ["docker://${host}/${repository}:${tag}", "oci:${image.path}:x"])
    assert ItSupport.tagDescriptor(image, 'x').digest == entries[i].digest: "skopeo pulled another manifest for ${name}"
    byte[] platformTagged = PushIt.rawManifest(registry, repository, "${tag}-${want.tag}")
    ItChecks.check(ItChecks.sha256(platformTagged) == entries[i].digest, "tag ${tag}-${want.tag} is not the ${name} manifest")

    ItSupport.run(['umoci', 'unpack', '--rootless', '--image', "${image.path}:x", bundle.path])
    File greet = new File(bundle, 'rootfs/usr/local/bin/greet')
    assert greet.isFile(): "no /usr/local/bin/greet in the ${name} image"
    ItSupport.assertMachine(greet, name)
    String said = ItSupport.runBinary(greet, name)
    assert said == "hello from ${name}": "the ${name} image's greet says '${said}'"
    assert new File(bundle, 'rootfs/etc/greet/machine.txt').text == "uname -m: ${want.machine}\n"
    println "pulled ${host}/${repository}:${tag} for ${name}: ${said}, tagged ${tag}-${want.tag}"
  }
} finally {
  PushIt.closeAll(basedir)
}
return true
