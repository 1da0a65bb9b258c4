// Each switch does what it says and nothing else, checked in the registry with tools that are not ours:
// signatureFormat bundle writes Sigstore bundles and no .sig tag, legacy the .sig tag and no bundle; sbom false
// leaves the provenance, provenance false the SBOM (listing /usr/local/bin/greet with the binary's real SHA-256);
// attestations false attaches nothing; verify refuses the unsigned image and a signature checked with another key;
// an unknown format is refused before anything is pushed; skipSign signs nothing; annotate signs the changed index
// and the platforms keep what is attached to them. The password came from MULTIARCH_SIGNING_KEY_PASSWORD and
// shows nowhere.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt
import io.github.multiarch.testing.it.VerifyIt

String BUNDLE = SupplyChainIt.BUNDLE_TYPE
String SBOM = SupplyChainIt.SBOM_TYPE
String IN_TOTO = SupplyChainIt.IN_TOTO_TYPE
def registry = PushIt.kept(basedir, 'registry')
try {
  String log = ItChecks.buildLog(basedir)
  List<String> runs = IndexIt.runs(log)
  assert runs.size() == 7: "expected the logs of seven runs in build.log, found ${runs.size()}"
  PushIt.assertNoSecrets(log, [PushIt.kept(basedir, 'password')])
  File pub = new File(basedir, 'keys/signing.pub')
  File other = new File(basedir, 'keys/other.pub')
  Closure<File> binary = { String platform ->
    new File(basedir, "bin/${ItSupport.platform(platform.replace('arm64/v8', 'arm64')).slug}/hello")
  }

  // 1: bundles only; provenance only; the lifecycle's deploy ran push, which signed
  assert runs[0].contains('BUILD SUCCESS') && runs[0] =~ /multiarch:[^ ]+:push \(default\)/: runs[0]
  assert runs[0].contains('format bundle'): runs[0]
  Map bundled = SupplyChainIt.image(registry, 'it/bundle', '1.0.0')
  assert bundled.children.keySet() == ['linux/amd64', 'linux/arm64/v8'] as Set
  List bundledDigests = [bundled.index] + bundled.children.values()
  bundledDigests.eachWithIndex { String digest, int i ->
    SupplyChainIt.checkBundle(basedir, registry, 'it/bundle', digest, bundledDigests[(i + 1) % bundledDigests.size()],
        pub, other)
    PushIt.assertNoTag(registry, 'it/bundle', digest.replace(':', '-') + '.sig')
  }
  bundled.children.each { String platform, String digest ->
    assert SupplyChainIt.referrerTypes(registry, 'it/bundle', digest) == [BUNDLE, IN_TOTO].sort(): platform
    SupplyChainIt.checkProvenance(basedir, registry, 'it/bundle', digest)
  }
  assert SupplyChainIt.referrerTypes(registry, 'it/bundle', bundled.index) == [BUNDLE]

  // 2: legacy signatures only; SBOM only, listing the binary where the image has it
  assert runs[1].contains('BUILD SUCCESS') && runs[1] =~ /multiarch:[^ ]+:push \(default\)/: runs[1]
  assert runs[1].contains('format legacy'): runs[1]
  Map legacy = SupplyChainIt.image(registry, 'it/legacy', '1.0.0')
  Map gate = VerifyIt.summary(runs[1])
  legacy.children.keySet().each { String platform ->
    assert gate[platform][4] == 'PASS' && gate[platform][5].contains('SBOM, signed (legacy)'): gate[platform]
  }
  assert gate['index'][4] == 'PASS' && gate['index'][5].contains('signed (legacy)'): gate['index']
  assert VerifyIt.result(runs[1]) == 'PASS'
  ([legacy.index] + legacy.children.values()).each { String digest ->
    SupplyChainIt.checkLegacySignature(basedir, registry, 'it/legacy', digest, "${registry.host()}/it/legacy", pub,
        other)
  }
  legacy.children.each { String platform, String digest ->
    assert SupplyChainIt.referrerTypes(registry, 'it/legacy', digest) == [SBOM]: platform
    SupplyChainIt.checkSbom(basedir, registry, 'it/legacy', digest, '/usr/local/bin/greet', binary(platform))
  }
  assert SupplyChainIt.referrerTypes(registry, 'it/legacy', legacy.index) == []

  // 3: nothing attached, nothing signed; the gate names each platform and the index as unsigned
  Map plain = SupplyChainIt.image(registry, 'it/plain', '1.0.0')
  assert IndexIt.tags(registry, 'it/plain') == ['1.0.0']: 'it/plain has more than its tag: something was attached'
  Map rows = VerifyIt.summary(runs[2])
  (plain.children.keySet() + ['index']).each { String subject ->
    assert rows[subject][4] == 'FAIL': "${subject}: ${rows[subject]}"
  }
  ItChecks.assertFailedIn(runs[2], 'verify', ['failed verification with 3 failures',
      ~/linux\/amd64: supply chain: lacks a signature by the key \S+ \(it is not signed\)/,
      ~/linux\/arm64\/v8: supply chain: lacks a signature by the key \S+ \(it is not signed\)/,
      ~/index: supply chain: lacks a signature by the key \S+ \(it is not signed\)/])

  // 4: the bundles of it/bundle do not verify with another key
  Map wrongKey = VerifyIt.summary(runs[3])
  (bundled.children.keySet() + ['index']).each { String subject ->
    assert wrongKey[subject][4] == 'FAIL': "${subject}: ${wrongKey[subject]}"
  }
  ItChecks.assertFailedIn(runs[3], 'verify', ['failed verification with 3 failures',
      ~/linux\/amd64: supply chain: lacks a signature by the key \S+ \(found only: no signature in the bundle verifies/,
      ~/index: supply chain: lacks a signature by the key \S+ \(found only: no signature in the bundle verifies/])

  // 5: an unknown format: named, the valid ones listed, nothing pushed
  IndexIt.assertRunFailed(runs[4], 'push', ['<signatureFormat> (-Dmultiarch.signatureFormat)',
      "unknown signature format 'cosign4'", 'valid: bundle, legacy, both'])
  assert !SupplyChainIt.catalogue(registry).contains('it/bad-format')

  // 6: sign skipped: it/plain is as unsigned as before
  IndexIt.assertRunSucceeded(runs[5], 'sign')
  assert runs[5].contains('multiarch: sign skipped (multiarch.skipSign)')
  assert IndexIt.tags(registry, 'it/plain') == ['1.0.0']

  // 7: the annotated index is signed in both formats; its platforms keep their attestations and bundles
  IndexIt.assertRunSucceeded(runs[6], 'annotate')
  Map annotated = SupplyChainIt.image(registry, 'it/bundle', 'annotated')
  assert annotated.index != bundled.index
  assert annotated.children == bundled.children
  SupplyChainIt.checkBundle(basedir, registry, 'it/bundle', annotated.index, bundled.index, pub, other)
  SupplyChainIt.checkLegacySignature(basedir, registry, 'it/bundle', annotated.index, "${registry.host()}/it/bundle",
      pub, other)
  annotated.children.each { String platform, String digest ->
    assert SupplyChainIt.referrerTypes(registry, 'it/bundle', digest) == [BUNDLE, IN_TOTO].sort(): platform
    SupplyChainIt.checkBundle(basedir, registry, 'it/bundle', digest, annotated.index, pub, other)
  }
} finally {
  PushIt.closeAll(basedir)
}
return true
