// The sign goal signed the pushed index and both children in both formats (checked by Sigstore's JavaScript
// verifier and openssl); signing again found the key's signatures and added none.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

try {
  def registry = PushIt.kept(basedir, 'registry')
  String log = ItChecks.buildLog(basedir)
  assert log.contains('BUILD SUCCESS')
  List signed = log.readLines().findAll { it.contains('[INFO] multiarch: signed ') }
  assert signed.size() == 2: signed
  assert signed[0].contains("and its 2 platforms' manifests; 3 signature bundles pushed as referrers"): signed[0]
  assert signed[1].endsWith('; 0 signature bundles pushed as referrers'): signed[1]

  Map image = SupplyChainIt.image(registry, 'it/sign', '1.0.0')
  File pub = new File(basedir, 'keys/signing.pub')
  File other = new File(basedir, 'keys/other.pub')
  List digests = [image.index] + image.children.values()
  digests.eachWithIndex { String digest, int i ->
    SupplyChainIt.checkBundle(basedir, registry, 'it/sign', digest, digests[(i + 1) % digests.size()], pub, other)
    SupplyChainIt.checkLegacySignature(basedir, registry, 'it/sign', digest, "${registry.host()}/it/sign", pub, other)
    // one legacy signature layer, one bundle: the second run added neither
    assert SupplyChainIt.referrers(registry, 'it/sign', digest).size() == 1
    assert SupplyChainIt.legacyLayers(registry, 'it/sign', digest) == 1
  }
} finally {
  PushIt.closeAll(basedir)
}
return true
