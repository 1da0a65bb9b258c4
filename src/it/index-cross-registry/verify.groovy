// The target registry holds it/dest:2.0 and :latest, one index of four entries (the two images and both entries
// of the source index); every child manifest and config in the target is byte for byte the source's; every blob
// was copied (nothing can be mounted across registries) and skopeo copies the whole index out of the target,
// verifying every digest; the source registry got nothing.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')
def index = loader.loadClass('IndexIt')
def support = loader.loadClass('ItSupport')

def source = push.kept(basedir, 'registry')
def target = push.kept(basedir, 'target')
try {
  Map images = index.readExpected(basedir)
  Map sourceIndex = index.json(index.raw(source, 'it/src-multi', '1')) as Map
  assert sourceIndex.manifests.size() == 2

  byte[] raw = index.raw(target, 'it/dest', '2.0')
  String digest = index.sha256(raw)
  index.check(Arrays.equals(raw, index.raw(target, 'it/dest', 'latest')), 'it/dest:latest is not the index of it/dest:2.0')
  Map result = index.json(raw) as Map
  assert result.mediaType == index.OCI_INDEX
  List<Map> entries = result.manifests
  assert entries*.digest == [images.amd64.digest, images.win.digest] + sourceIndex.manifests*.digest
  assert entries*.mediaType == [index.OCI_MANIFEST, index.DOCKER_MANIFEST, index.OCI_MANIFEST, index.OCI_MANIFEST]
  assert entries*.platform == [[architecture: 'amd64', os: 'linux'],
                               [architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2655']] + sourceIndex.manifests*.platform
  assert index.tags(target, 'it/dest') as Set == ['2.0', 'latest'] as Set

  // each child, its config and its layers: the target serves the source's exact bytes
  Set<String> blobs = []
  for (Map entry : entries) {
    byte[] inSource = index.raw(source, entry.digest in [images.amd64.digest, images.win.digest] ? 'it/src' : 'it/src-multi', entry.digest)
    byte[] inTarget = index.raw(target, 'it/dest', entry.digest)
    index.check(Arrays.equals(inSource, inTarget), "the target's ${entry.digest} differs from the source's")
    assert index.sha256(inTarget) == entry.digest && inTarget.length == entry.size
    Map manifest = index.json(inTarget) as Map
    blobs << manifest.config.digest
    manifest.layers.each { blobs << it.digest }
    byte[] config = index.skopeo(['inspect', '--raw', '--config'] + target.skopeoOptions('')
        + ["docker://${target.host()}/it/dest@${entry.digest}"])
    assert index.sha256(config) == manifest.config.digest
  }

  // skopeo copies everything out of the target (every manifest and blob, digests verified)
  File copy = new File(basedir, 'target/copy')
  copy.deleteDir()
  index.skopeo(['copy', '--quiet', '--all', '--preserve-digests'] + target.skopeoOptions('src-')
      + ["docker://${target.host()}/it/dest:2.0", "oci:${copy.path}:x"])
  assert support.tagDescriptor(copy, 'x').digest == digest
  entries.each { assert support.blobFile(copy, it.digest).isFile(): "skopeo did not copy ${it.digest}" }
  blobs.each { assert support.blobFile(copy, it).isFile(): "skopeo did not copy blob ${it}" }

  // the run: both registries anonymous, every distinct blob copied, none mounted; the source registry got nothing
  String log = index.buildLog(basedir)
  index.assertRunSucceeded(log, 'create')
  index.check(log.contains("multiarch: ${source.host()}: anonymous") && log.contains("multiarch: ${target.host()}: anonymous"),
      'the run does not name both registries')
  index.check(log.contains("multiarch: created ${target.host()}/it/dest ${digest}"), "the run does not name the index ${digest}")
  index.check(log.contains("[INFO]   tags: 2.0, latest; blobs copied ${blobs.size()}, mounted 0, already there 0"),
      "the run does not say it copied the ${blobs.size()} blobs")
  assert index.tags(source, 'it/dest').isEmpty()
  assert index.tags(source, 'it/src') as Set == ['amd64', 'win'] as Set
} finally {
  push.closeAll(basedir)
}
return true
