// All four modules ran in parallel and pushed; nothing interfered: every tag holds exactly its module's index, skopeo
// copies each index with all its children and blobs (checking every digest), the base's layers were mounted rather
// than uploaded, and the cache the modules shared is a valid layout holding the base.
import groovy.json.JsonSlurper

import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  String log = ItChecks.buildLog(basedir)
  ItChecks.check(log.contains('BUILD SUCCESS'), 'the reactor failed')
  ItChecks.check(log.contains('MultiThreadedBuilder') && log.contains('thread count of 4'), 'the reactor did not run with -T 4')
  List<Map> summaries = PushIt.pushSummaries(log)
  assert summaries.size() == 4: summaries

  Set<String> indexes = []
  ['m1', 'm2', 'm3', 'm4'].each { m ->
    Map built = PushIt.builtIndex(new File(basedir, "${m}/target/multiarch"))
    assert built.metadata.tags == [m]
    assert built.metadata.push?.indexDigest == built.digest: "${m}: ${built.metadata.push}"
    assert built.metadata.push.tags == [m]
    indexes << built.digest
    byte[] remote = PushIt.rawManifest(registry, 'it/app', m)
    ItChecks.check(Arrays.equals(remote, built.bytes), "${m}: the registry's index is not the module's")
    // every child and blob, each checked against its digest
    File copy = new File(basedir, "target/copies/${m}")
    copy.parentFile.mkdirs()
    PushIt.skopeo(['copy', '--all', '--quiet'] + registry.skopeoOptions('src-') + ["docker://${host}/it/app:${m}", "oci:${copy}:x"])
    ItChecks.check(Arrays.equals(ItChecks.blob(copy, built.digest), built.bytes), "${m}: skopeo copied another index")
    built.json.manifests.each { entry -> ItChecks.blob(copy, entry.digest) }
  }
  assert indexes.size() == 4: 'two modules produced the same index'

  // the base layers (a 1 MiB one among them) were mounted from it/base, by one module or another, never uploaded
  assert summaries.sum { it.mounted } >= 4: summaries
  summaries.each { s -> ItChecks.check(!s.bytes.contains('MiB'), "a module uploaded a base layer: ${summaries}") }

  File cache = new File(basedir, 'target/base-cache')
  Map index = new JsonSlurper().parse(new File(cache, 'index.json')) as Map
  assert index.manifests.any { it.annotations?.get('org.opencontainers.image.ref.name') == "${host}/it/base:1".toString() }:
      "the shared cache does not remember the base: ${index}"
  List<File> partial = []
  cache.eachFileRecurse { if (it.name.contains('.partial') || it.name.endsWith('.tmp')) partial << it }
  assert partial.isEmpty(): "the shared cache holds unfinished files: ${partial}"
} finally {
  PushIt.closeAll(basedir)
}
return true
