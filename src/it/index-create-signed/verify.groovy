// it/joined:1.0 is an index of the three parts, which came with everything attached to them: each child's SBOM
// and provenance (found through the referrers tag; distribution 2.8 has no referrers API) and both its
// signatures, which still verify with key A (Sigstore's JavaScript verifier, openssl); the new index is signed by
// key A in both formats and refused with another key; inspect lists every referrer, as a table and as JSON.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  Map parts = IndexIt.readExpected(basedir)
  String log = ItChecks.buildLog(basedir)
  PushIt.assertNoSecrets(log, [PushIt.kept(basedir, 'password')])
  List<String> runs = IndexIt.runs(log)
  // the quiet third run prints no "Scanning for projects" and stays in the second's part
  assert runs.size() == 2: "expected the logs of two runs in build.log, found ${runs.size()}"
  IndexIt.assertRunSucceeded(runs[0], 'create')
  // per child: SBOM, provenance and bundle referrers, and the .sig manifest
  ItChecks.check(runs[0].contains('attestations and signatures copied 12; index signed'),
      "the create run does not say it copied 12 attachments and signed the index:\n${runs[0]}")

  Map image = SupplyChainIt.image(registry, 'it/joined', '1.0')
  assert image.children.values() as List == parts.values()*.digest
  File pub = new File(basedir, 'keys/signing.pub')
  File other = new File(basedir, 'keys/other.pub')
  List<String> digests = [image.index] + image.children.values()
  parts.values().eachWithIndex { Map part, int i ->
    String digest = part.digest
    assert SupplyChainIt.referrers(registry, 'it/joined', digest).collect { it.get('artifactType').asText() } as Set ==
        [SupplyChainIt.SBOM_TYPE, SupplyChainIt.IN_TOTO_TYPE, SupplyChainIt.BUNDLE_TYPE] as Set
    SupplyChainIt.checkAttestations(basedir, registry, 'it/joined', digest, '/part.txt', new File(part.file))
    SupplyChainIt.checkBundle(basedir, registry, 'it/joined', digest, digests[(i + 2) % digests.size()], pub, other)
    // The legacy payload was signed for the push to it/parts and names that repository as its docker-reference:
    // a copy keeps the signed bytes. cosign verifies the payload's docker-manifest-digest against the image and
    // does not compare the docker-reference with where the image now is, so the copied signature still holds;
    // checkLegacySignature checks that digest too.
    SupplyChainIt.checkLegacySignature(basedir, registry, 'it/joined', digest, "${host}/it/parts", pub, other)
  }
  // the new index: signed by key A in both formats, naming the new repository; no attestations of its own
  SupplyChainIt.checkBundle(basedir, registry, 'it/joined', image.index, digests[1], pub, other)
  SupplyChainIt.checkLegacySignature(basedir, registry, 'it/joined', image.index, "${host}/it/joined", pub, other)
  assert SupplyChainIt.referrers(registry, 'it/joined', image.index).collect { it.get('artifactType').asText() } ==
      [SupplyChainIt.BUNDLE_TYPE]

  // inspect, table: each referrer on its own line under its entry, the index's under "referrers of the index:"
  IndexIt.assertRunSucceeded(runs[1], 'inspect')
  List<String> table = runs[1].readLines().findAll { it.startsWith('[INFO] ') }.collect { it.substring(7) }
  int indexSection = table.indexOf('  referrers of the index:')
  assert indexSection > 0: "the table has no referrers of the index:\n${table.join('\n')}"
  parts.values().each { Map part ->
    int row = table.findIndexOf { it.contains(" ${part.digest} ") }
    assert row > 0: "the table has no row of ${part.digest}"
    List<String> below = table.subList(row + 1, indexSection).takeWhile { it.startsWith('      ') }
    List<List<String>> expected = SupplyChainIt.referrerSummaries(registry, 'it/joined', part.digest).collect {
      ['referrer', it.artifactType, it.digest, "${it.size}".toString()]
    }
    assert below.findAll { it.startsWith('      referrer ') }.collect { it.trim().split(/ +/) as List } as Set ==
        expected as Set
  }
  Map bundle = SupplyChainIt.referrerSummaries(registry, 'it/joined', image.index)[0]
  assert table[indexSection + 1].trim().split(/ +/) as List == ['referrer', bundle.artifactType, bundle.digest,
      "${bundle.size}".toString()]
  // one column for every referrer's digest, though a bundle's artifact type is longer than the others
  assert table.findAll { it.startsWith('      referrer ') }.collect { it.indexOf(' sha256:') }.unique().size() == 1

  // inspect, JSON: the same referrers per manifest entry and at the top level
  Map json = IndexIt.quietJson(log)
  assert json.digest == image.index
  assert json.manifests*.digest == parts.values()*.digest
  json.manifests.each { Map entry ->
    assert entry.referrers.collect { [artifactType: it.artifactType, digest: it.digest, size: it.size as long] }
        .sort { it.digest } == SupplyChainIt.referrerSummaries(registry, 'it/joined', entry.digest)
    entry.referrers.each { assert it.mediaType == ItChecks.OCI_MANIFEST && it.annotations instanceof Map }
  }
  assert json.referrers.collect { [artifactType: it.artifactType, digest: it.digest, size: it.size as long] } ==
      [bundle]
} finally {
  PushIt.closeAll(basedir)
}
return true
