// The build took each platform's base from the registry (manifests and configs cached under target/base-cache)
// and recorded the base repository and layers, downloading no base layer (baseLayers=auto: a push follows in this
// run); the push mounted the three base layers from base/app instead of uploading them, so
// it uploaded only the two configs and the one layer of this project; skopeo reads the pushed index back
// byte for byte and pulls every blob of it, the mounted ones included.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  File baseLayout = new File(basedir, 'base/out/oci')
  Map baseTop = ItSupport.tagDescriptor(baseLayout, 'base-1')
  Map baseIndex = ItChecks.json(ItChecks.blob(baseLayout, baseTop.digest))
  Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  File layout = new File(basedir, 'target/multiarch/oci')

  // metadata.json: each platform's base is base/app of this registry, with the base manifest's layers
  List<String> baseLayerDigests = []
  built.metadata.platforms.eachWithIndex { Map p, int i ->
    Map baseEntry = baseIndex.manifests.find { it.platform.architecture == p.architecture }
    assert baseEntry != null: "the base has no ${p.platform}"
    Map baseManifest = ItChecks.json(ItChecks.blob(baseLayout, baseEntry.digest))
    assert p.baseRepository == "${host}/base/app".toString(): p
    assert p.baseLayers == baseManifest.layers*.digest: "${p.platform}: baseLayers ${p.baseLayers}, the base has ${baseManifest.layers*.digest}"
    Map manifest = ItChecks.json(ItChecks.blob(layout, built.json.manifests[i].digest))
    assert manifest.layers.size() == baseManifest.layers.size() + 1
    assert manifest.layers*.digest.take(baseManifest.layers.size()) == baseManifest.layers*.digest
    baseLayerDigests.addAll(baseManifest.layers*.digest)
  }
  Set<String> baseLayers = baseLayerDigests as Set
  assert baseLayers.size() == 3: "expected a shared and two platform base layers, got ${baseLayers}"
  assert new File(basedir, 'target/base-cache/oci-layout').isFile(): 'the base was not cached in -Dmultiarch.cacheDirectory'

  // baseLayers=auto with a push in the same run: the build downloaded no base layer (neither the layout nor the
  // cache has one); the layout lists each with the repository it is mounted from
  baseLayers.each { d ->
    assert !ItChecks.blobFile(layout, d).exists(): "base layer ${d} was copied into the layout"
    assert !ItChecks.blobFile(new File(basedir, 'target/base-cache'), d).exists(): "base layer ${d} was downloaded"
  }
  Map deferred = ItChecks.json(new File(layout, 'multiarch-deferred-blobs.json').bytes)
  assert deferred.blobs*.digest as Set == baseLayers: deferred
  assert deferred.blobs*.source as Set == ["${host}/base/app".toString()] as Set: deferred

  // the push: 3 base layers mounted, nothing already there, and only this project's blobs uploaded
  String log = ItChecks.buildLog(basedir)
  List<Map> summaries = PushIt.pushSummaries(log)
  assert summaries.size() == 1
  assert summaries[0].mounted == 3 && summaries[0].present == 0 && summaries[0].blobs == 3: summaries[0]
  Set<String> ownBlobs = [] as Set
  Map<String, Long> sizes = [:]
  built.json.manifests.each { entry ->
    Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest))
    ([manifest.config] + manifest.layers).each { d ->
      sizes[d.digest] = d.size as long
      if (!baseLayers.contains(d.digest)) {
        ownBlobs << d.digest
      }
    }
  }
  assert ownBlobs.size() == 3
  long ownBytes = ownBlobs.sum { sizes[it] } as long
  assert built.metadata.push.bytesUploaded == ownBytes: "uploaded ${built.metadata.push.bytesUploaded} bytes, this project's blobs are ${ownBytes}: base bytes were uploaded"
  assert built.metadata.push.platforms*.manifestDigest == built.json.manifests*.digest

  // the registry serves the index and every blob under derived/app
  byte[] remote = PushIt.rawManifest(registry, 'derived/app', '1.0.0')
  ItChecks.check(Arrays.equals(remote, built.bytes), "the registry's index is not the local one:\n${new String(remote, 'UTF-8')}")
  File pulled = new File(basedir, 'target/pulled')
  pulled.deleteDir()
  PushIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests', '--src-tls-verify=false', '--src-no-creds',
               "docker://${host}/derived/app:1.0.0", "oci:${pulled.path}:x"])
  baseLayers.each { assert new File(pulled, 'blobs/' + it.replace(':', '/')).isFile(): "base layer ${it} not pulled from derived/app" }
} finally {
  PushIt.closeAll(basedir)
}
return true
