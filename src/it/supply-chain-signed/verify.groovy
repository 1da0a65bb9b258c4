// The index and each child are signed twice, as cosign 3 (a Sigstore bundle referrer, checked by Sigstore's own
// JavaScript verifier) and as cosign 2 (the .sig tag, checked by openssl over the exact payload); each child
// carries a CycloneDX SBOM listing /usr/local/bin/greet with the binary's real SHA-256 and an SLSA provenance
// naming it; the referrers are found through the referrers tag (distribution 2.8 has no referrers API); nothing
// secret reached the -X log.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt
import io.github.multiarch.testing.it.VerifyIt

try {
  def registry = PushIt.kept(basedir, 'registry')
  String log = ItChecks.buildLog(basedir)
  assert log.contains('BUILD SUCCESS')
  PushIt.assertNoSecrets(log, [PushIt.kept(basedir, 'password')])
  assert !log.contains('PRIVATE KEY'): 'build.log shows key material'
  String keyBody = new File(basedir, 'keys/signing.pem').readLines().find { !it.startsWith('-----') }
  assert !log.contains(keyBody): 'build.log shows the key file'
  assert log.contains('multiarch: signing with the key')
  assert log =~ /\d+ attestations and signature bundles pushed as referrers; 4 manifests signed/

  // verify, as a release gate on the pushed image: each platform attested and signed, the index signed
  Map rows = VerifyIt.summary(log)
  ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'].each { platform ->
    assert rows[platform][4] == 'PASS': "${platform}: ${rows[platform]}"
    assert rows[platform][5].contains('SBOM, provenance, signed (bundle, legacy)'): "${platform}: ${rows[platform]}"
  }
  assert rows['index'][4] == 'PASS' && rows['index'][5].contains('signed (bundle, legacy)'): rows['index']
  assert VerifyIt.result(log) == 'PASS'

  Map image = SupplyChainIt.image(registry, 'it/signed', '1.0.0')
  assert image.children.keySet() == ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'] as Set
  File pub = new File(basedir, 'keys/signing.pub')
  File other = new File(basedir, 'keys/other.pub')
  List digests = [image.index] + image.children.values()
  digests.eachWithIndex { String digest, int i ->
    String otherDigest = digests[(i + 1) % digests.size()]
    SupplyChainIt.checkBundle(basedir, registry, 'it/signed', digest, otherDigest, pub, other)
    SupplyChainIt.checkLegacySignature(basedir, registry, 'it/signed', digest, "${registry.host()}/it/signed", pub,
        other)
  }
  image.children.each { String platform, String digest ->
    String slug = ItSupport.platform(platform.replace('arm64/v8', 'arm64')).slug
    SupplyChainIt.checkAttestations(basedir, registry, 'it/signed', digest, '/usr/local/bin/greet', new File(basedir,
        "bin/${slug}/hello"))
  }
  // the index carries a signature but no attestations of its own
  assert SupplyChainIt.referrers(registry, 'it/signed', image.index).collect { it.get('artifactType').asText() } ==
      [SupplyChainIt.BUNDLE_TYPE]
} finally {
  PushIt.closeAll(basedir)
}
return true
