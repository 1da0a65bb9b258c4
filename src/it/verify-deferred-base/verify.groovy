// The build left the three base layers in the registry (the layout listed them beside index.json); verify, given
// that layout, first fetched them into it (each checked), dropped the record, and only then read it: every check
// passed on the complete layout, and skopeo, an OCI tool that knows nothing of the record, copies it whole.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  String log = ItChecks.buildLog(basedir)
  assert log.contains('BUILD SUCCESS')
  File layout = new File(basedir, 'target/multiarch/oci')
  File baseLayout = new File(basedir, 'base/out/oci')
  Map baseTop = ItSupport.tagDescriptor(baseLayout, 'base-1')
  Map baseIndex = ItChecks.json(ItChecks.blob(baseLayout, baseTop.digest))
  Set<String> baseLayers = [] as Set
  baseIndex.manifests.each { baseLayers.addAll(ItChecks.json(ItChecks.blob(baseLayout, it.digest)).layers*.digest) }
  assert baseLayers.size() == 3: baseLayers

  int left = log.indexOf("multiarch: 3 base layers")
  int fetched = log.indexOf("multiarch: fetching 3 base layers")
  int verifying = log.indexOf("multiarch: verifying OCI layout")
  ItChecks.check(left >= 0 && log.substring(left).contains("not downloaded: left in ${host}/base/app"),
      "the build did not leave the base layers in the registry:\n${log}")
  ItChecks.check(fetched > left, "verify did not fetch the base layers:\n${log}")
  ItChecks.check(verifying > fetched, "verify read the layout before it was complete:\n${log}")
  baseLayers.each { d -> assert ItChecks.blobFile(layout, d).isFile(): "base layer ${d} is not in the layout" }
  assert !new File(layout, 'multiarch-deferred-blobs.json').exists(): 'the record outlived the completion'
  baseLayers.each { d ->
    assert !ItChecks.blobFile(new File(basedir, 'target/base-cache'), d).exists(): "the build downloaded ${d}"
  }

  File copy = new File(basedir, 'target/copy')
  copy.deleteDir()
  PushIt.skopeo(['copy', '--quiet', '--all', "oci:${layout.path}:1.0.0", "oci:${copy.path}:x"])
  baseLayers.each { d -> assert ItChecks.blobFile(copy, d).isFile(): "skopeo did not copy ${d}" }
} finally {
  PushIt.closeAll(basedir)
}
return true
