// Each run failed in multiarch:create with an error naming the parameter (<sources>, <format>) and the problem (the
// missing tag, the missing architecture and the way out, both sources of linux/amd64, the OCI child and its media
// type), without a stack trace; it/bad was never created and holds none of the sources' manifests.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  Map images = IndexIt.readExpected(basedir)
  List<String> runs = IndexIt.runs(ItChecks.buildLog(basedir))
  assert runs.size() == 4: "expected the logs of four runs in build.log, found ${runs.size()}"

  IndexIt.assertRunFailed(runs[0], 'create', ['<sources> (-Dmultiarch.sources)', "${host}/it/parts:nope does not exist"])
  IndexIt.assertRunFailed(runs[1], 'create', ['<sources> (-Dmultiarch.sources)',
      "the image config of ${host}/it/parts:noarch (${images.noarch.digest}) declares no architecture", 'give the source a platform'])
  IndexIt.assertRunFailed(runs[2], 'create', ['<sources> (-Dmultiarch.sources)',
      "two sources give linux/amd64: ${host}/it/parts:amd64 and ${host}/it/parts:amd64-other", '-Dmultiarch.allowDuplicates=true'])
  IndexIt.assertRunFailed(runs[3], 'create', ['<format> (-Dmultiarch.format)', 'format docker takes only Docker v2 manifests',
      "${host}/it/parts:amd64 gives ${ItChecks.OCI_MANIFEST} for linux/amd64", 'use format oci'])
  runs.each { ItChecks.check(!it.contains('multiarch: created'), "a refused run says it created something:\n${it}") }

  // nothing pushed: no tag, no child manifest in it/bad
  assert IndexIt.tags(registry, 'it/bad').isEmpty()
  IndexIt.assertAbsent(registry, 'it/bad', '1.0')
  images.each { String name, Map image -> IndexIt.assertAbsent(registry, 'it/bad', image.digest) }
} finally {
  PushIt.closeAll(basedir)
}
return true
