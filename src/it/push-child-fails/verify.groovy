// Run 2 failed on the child manifest the stub refused, before tagging: the registry (asked directly, not
// through the stub) still serves version A's index under the tag.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
def stub = PushIt.kept(basedir, 'stub')
try {
  Map a = PushIt.builtIndex(new File(basedir, 'target/multiarch-a'))
  Map b = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  assert a.metadata.push?.indexDigest == a.digest: 'run 1 did not push version A'
  assert b.digest != a.digest: 'run 2 built the same index as run 1'
  assert b.metadata.push == null: 'run 2 recorded a push'
  b.json.manifests.each { assert !(it.digest in a.json.manifests*.digest): 'version B shares a manifest with version A' }

  // through the stub: one child went in, the other was refused (and retried), no tag was attempted; the
  // children go up side by side, so which of the two came second is not fixed
  List exchanges = stub.exchanges()
  List childPuts = exchanges.findAll { it.request().method() == 'PUT' && it.request().path().contains('/manifests/sha256:') }
  assert childPuts.size() == 1 + 5: "expected one child and 5 attempts of the other, got ${childPuts*.request()}"
  List accepted = childPuts.findAll { it.status() == 201 }
  List refused = childPuts.findAll { it.status() == 500 }
  assert accepted.size() == 1 && refused.size() == 5: "expected one 201 and five 500, got ${childPuts*.status()}"
  String refusedDigest = refused[0].request().path().tokenize('/').last()
  assert refused.every { it.request().path().endsWith(refusedDigest) }: 'the retries were not of one child'
  String acceptedDigest = accepted[0].request().path().tokenize('/').last()
  assert acceptedDigest != refusedDigest && b.json.manifests*.digest.containsAll([acceptedDigest, refusedDigest])

  // the failure: in multiarch:push, naming the HTTP status and the refused child, without a stack trace
  String log = PushIt.assertFailedIn(basedir, 'push', ['HTTP 500', refusedDigest])
  assert PushIt.pushSummaries(log).size() == 1: 'expected the summary of run 1 only'
  List tagPuts = exchanges.findAll { it.request().method() == 'PUT' && it.request().path().endsWith('/manifests/1.0.0') }
  assert tagPuts.isEmpty(): "the plugin tagged the index although a child failed: ${tagPuts*.request()}"

  // the registry itself still has version A's index under the tag
  byte[] remote = PushIt.rawManifest(registry, 'it/app', '1.0.0')
  assert ItChecks.sha256(remote) == a.digest: "the tag now names ${ItChecks.sha256(remote)}, not version A's ${a.digest}"
  ItChecks.check(Arrays.equals(remote, a.bytes), 'the tag is not the exact bytes of version A')
} finally {
  PushIt.closeAll(basedir)
}
return true
