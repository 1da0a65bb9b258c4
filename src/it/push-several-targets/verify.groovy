// Runs 1 and 2 deployed version A to both registries, run 2 uploading nothing; run 3 deployed version B, which
// the first registry took whole while the stub in front of the second refused every child manifest: the
// build failed naming the second target, whose tag (asked of the registry directly) still names version A.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def first = PushIt.kept(basedir, 'registry')
def second = PushIt.kept(basedir, 'second')
def stub = PushIt.kept(basedir, 'stub')
try {
  String firstTarget = "${first.host()}/it/app"
  String stubTarget = "${stub.host()}/it/app"
  Map a = PushIt.builtIndex(new File(basedir, 'target/multiarch-a'))
  Map b = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  assert b.digest != a.digest: 'run 3 built the same index as runs 1 and 2'

  // the failure: in multiarch:push, naming the refusing target, its reason, and the complete one
  String log = PushIt.assertFailedIn(basedir, 'push', ["push failed at 1 of 2 targets; ${stubTarget}: ",
      'stub: this registry refuses every manifest', 'were not moved', "complete: ${firstTarget}"])
  // each target with its own credentials: the first from the settings file, the others anonymous
  assert log.contains("multiarch: ${first.host()}: credentials from"): 'the first registry was not given its credentials'
  assert log.contains("multiarch: ${second.host()}: anonymous"): 'the second registry was not reached anonymously'
  assert !log.contains(first.password()): 'the log shows the password'
  assert log =~ /(?m)^\[INFO\]   ${java.util.regex.Pattern.quote(stubTarget)} +FAILED +tags not moved$/: 'no FAILED row for the refusing target'

  // run 1 uploaded every blob to each registry, run 2 nothing, run 3 version B's new blobs to the first only
  List<Map> summaries = PushIt.pushSummaries(log)
  assert summaries.size() == 5: "expected 2 + 2 + 1 push summaries, got ${summaries}"
  assert summaries[0].blobs > 0 && summaries[0].blobs == summaries[1].blobs: summaries
  assert summaries[0].mounted == 0 && summaries[1].mounted == 0: 'two registries: nothing to mount from'
  [summaries[2], summaries[3]].each { assert it.blobs == 0 && it.bytes == '0 B' && it.mounted == 0: "run 2 uploaded: ${it}" }
  assert summaries[4].blobs > 0: "run 3 uploaded nothing to the first registry: ${summaries[4]}"
  assert a.metadata.push?.indexDigest == a.digest && b.metadata.push?.indexDigest == b.digest: 'the push of image was not recorded'

  // version A is the same bytes in both registries (still there by digest in the first, under the tag in the
  // second), and version B is under the tag in the first
  List byDigest = ['inspect', '--raw'] + first.skopeoOptions('') + ["docker://${first.host()}/it/app@${a.digest}"]
  ItChecks.check(Arrays.equals(PushIt.skopeo(byDigest), a.bytes), 'the first registry lacks version A by digest')
  byte[] secondTag = PushIt.rawManifest(second, 'it/app', '1.0.0')
  assert ItChecks.sha256(secondTag) == a.digest: "the refusing target's tag moved to ${ItChecks.sha256(secondTag)}"
  ItChecks.check(Arrays.equals(secondTag, a.bytes), "the second registry's index is not version A's exact bytes")
  ItChecks.check(Arrays.equals(PushIt.rawManifest(first, 'it/app', '1.0.0'), b.bytes), 'the first target is not complete with version B')

  // through the stub: every child refused (once each: a 403 is not retried), no tag written
  List puts = stub.exchanges().findAll { it.request().method() == 'PUT' && it.request().path().contains('/manifests/') }
  assert !puts.isEmpty() && puts.every { it.status() == 403 && it.request().path().contains('/manifests/sha256:') }: "${puts*.request()}"

  // every platform pulls back from each registry with skopeo
  [[first, "${a.digest}"], [second, '1.0.0'], [first, '1.0.0']].eachWithIndex { pair, i ->
    def registry = pair[0]
    String reference = pair[1].startsWith('sha256:') ? "@${pair[1]}" : ":${pair[1]}"
    Map expected = pair[1] == '1.0.0' && registry.is(first) ? b : a
    File pulled = new File(basedir, "target/pulled-${i}")
    pulled.deleteDir()
    List args = ['copy', '--quiet', '--all', '--preserve-digests']
    args.addAll(registry.skopeoOptions('src-'))
    args.addAll(["docker://${registry.host()}/it/app${reference}", "oci:${pulled.path}:x"])
    PushIt.skopeo(args)
    expected.json.manifests.each { entry ->
      File manifestFile = new File(pulled, 'blobs/' + entry.digest.replace(':', '/'))
      assert manifestFile.isFile(): "${entry.platform} not pulled from ${registry.host()}"
      Map manifest = ItChecks.json(manifestFile)
      ([manifest.config] + manifest.layers).each { d ->
        assert new File(pulled, 'blobs/' + d.digest.replace(':', '/')).isFile(): "${d.digest} of ${entry.platform} not pulled from ${registry.host()}"
      }
    }
  }
} finally {
  PushIt.closeAll(basedir)
}
return true
