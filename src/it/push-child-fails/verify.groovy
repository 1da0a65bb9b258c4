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

  // the failure: in multiarch:push, naming the HTTP status, without a stack trace
  String log = PushIt.assertFailedIn(basedir, 'push', ['HTTP 500', b.json.manifests[1].digest])
  assert PushIt.pushSummaries(log).size() == 1: 'expected the summary of run 1 only'

  // through the stub: the first child went in, the second was refused (and retried), no tag was attempted
  List exchanges = stub.exchanges()
  List childPuts = exchanges.findAll { it.request().method() == 'PUT' && it.request().path().contains('/manifests/sha256:') }
  assert childPuts.size() == 1 + 5: "expected the first child and 5 attempts of the second, got ${childPuts*.request()}"
  assert childPuts[0].request().path().endsWith(b.json.manifests[0].digest) && childPuts[0].status() == 201
  assert childPuts.drop(1).every { it.status() == 500 && it.request().path().endsWith(b.json.manifests[1].digest) }
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
