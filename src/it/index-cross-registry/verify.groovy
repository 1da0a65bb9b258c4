// The target registry holds it/dest:2.0 and :latest, one index of four entries (the two images and both entries
// of the source index); every child manifest and config in the target is byte for byte the source's; every blob
// was copied (nothing can be mounted across registries) and skopeo copies the whole index out of the target,
// verifying every digest; the source registry got nothing.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

def source = PushIt.kept(basedir, 'registry')
def target = PushIt.kept(basedir, 'target')
try {
  Map images = IndexIt.readExpected(basedir)
  Map sourceIndex = ItChecks.json(IndexIt.raw(source, 'it/src-multi', '1')) as Map
  assert sourceIndex.manifests.size() == 2

  byte[] raw = IndexIt.raw(target, 'it/dest', '2.0')
  String digest = ItChecks.sha256(raw)
  ItChecks.check(Arrays.equals(raw, IndexIt.raw(target, 'it/dest', 'latest')), 'it/dest:latest is not the index of it/dest:2.0')
  Map result = ItChecks.json(raw) as Map
  assert result.mediaType == ItChecks.OCI_INDEX
  List<Map> entries = result.manifests
  assert entries*.digest == [images.amd64.digest, images.win.digest] + sourceIndex.manifests*.digest
  assert entries*.mediaType == [ItChecks.OCI_MANIFEST, IndexIt.DOCKER_MANIFEST, ItChecks.OCI_MANIFEST, ItChecks.OCI_MANIFEST]
  assert entries*.platform == [[architecture: 'amd64', os: 'linux'],
                               [architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2655']] + sourceIndex.manifests*.platform
  assert IndexIt.tags(target, 'it/dest') as Set == ['2.0', 'latest'] as Set

  // each child, its config and its layers: the target serves the source's exact bytes
  Set<String> blobs = []
  for (Map entry : entries) {
    byte[] inSource = IndexIt.raw(source, entry.digest in [images.amd64.digest, images.win.digest] ? 'it/src' : 'it/src-multi', entry.digest)
    byte[] inTarget = IndexIt.raw(target, 'it/dest', entry.digest)
    ItChecks.check(Arrays.equals(inSource, inTarget), "the target's ${entry.digest} differs from the source's")
    assert ItChecks.sha256(inTarget) == entry.digest && inTarget.length == entry.size
    Map manifest = ItChecks.json(inTarget) as Map
    blobs << manifest.config.digest
    manifest.layers.each { blobs << it.digest }
    byte[] config = IndexIt.skopeo(['inspect', '--raw', '--config'] + target.skopeoOptions('')
        + ["docker://${target.host()}/it/dest@${entry.digest}"])
    assert ItChecks.sha256(config) == manifest.config.digest
  }

  // skopeo copies everything out of the target (every manifest and blob, digests verified)
  File copy = new File(basedir, 'target/copy')
  copy.deleteDir()
  IndexIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests'] + target.skopeoOptions('src-')
      + ["docker://${target.host()}/it/dest:2.0", "oci:${copy.path}:x"])
  assert ItSupport.tagDescriptor(copy, 'x').digest == digest
  entries.each { assert ItChecks.blobFile(copy, it.digest).isFile(): "skopeo did not copy ${it.digest}" }
  blobs.each { assert ItChecks.blobFile(copy, it).isFile(): "skopeo did not copy blob ${it}" }

  // the run: both registries anonymous, every distinct blob copied, none mounted; the source registry got nothing
  String log = ItChecks.buildLog(basedir)
  IndexIt.assertRunSucceeded(log, 'create')
  ItChecks.check(log.contains("multiarch: ${source.host()}: anonymous") && log.contains("multiarch: ${target.host()}: anonymous"),
      'the run does not name both registries')
  ItChecks.check(log.contains("multiarch: created ${target.host()}/it/dest ${digest}"), "the run does not name the index ${digest}")
  ItChecks.check(log.contains("[INFO]   tags: 2.0, latest; blobs copied ${blobs.size()}, mounted 0, already there 0"),
      "the run does not say it copied the ${blobs.size()} blobs")
  assert IndexIt.tags(source, 'it/dest').isEmpty()
  assert IndexIt.tags(source, 'it/src') as Set == ['amd64', 'win'] as Set
} finally {
  PushIt.closeAll(basedir)
}
return true
