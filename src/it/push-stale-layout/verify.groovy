// Run 2's refused build left run 1's layout; run 3, a push on its own, refused it (the POM now says
// linux/s390x too) and pushed nothing; run 4, naming the layout itself, pushed run 1's two platforms.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String log = ItChecks.buildLog(basedir)
  List<String> errors = log.readLines().findAll { it.startsWith('[ERROR]') }
  ItChecks.check(errors.any { it.contains("layer 'hello' for platform linux/s390x") && it.contains('does not exist') },
      "run 2 was not refused for the missing s390x file:\n${errors.join('\n')}")
  String layout = new File(basedir, 'target/multiarch/oci').path
  ItChecks.check(errors.any {
    it.contains("<layout> (-Dmultiarch.layout): the layout ${layout} was built earlier (") &&
        it.contains('with another configuration than the POM and command line give now (<platforms> differ)') &&
        it.contains('the last one may have failed') && it.contains("-Dmultiarch.layout=${layout}")
  }, "run 3 did not refuse the stale layout, naming <platforms>:\n${errors.join('\n')}")

  // one push summary only: run 4's; run 3 pushed nothing
  List<Map> summaries = PushIt.pushSummaries(log)
  assert summaries.size() == 1: "expected only run 4's push summary, found ${summaries}"
  Map index = ItChecks.json(PushIt.rawManifest(registry, 'it/stale', '1.0.0'))
  assert index.manifests*.platform*.architecture == ['amd64', 'arm64']: 'run 1 built two platforms'
} finally {
  PushIt.closeAll(basedir)
}
return true
