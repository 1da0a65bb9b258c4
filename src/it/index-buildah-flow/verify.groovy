// The create without amend failed naming amend and pushed nothing (the arm/v7 image it named is not in
// it/buildah); the amended it/buildah:1.0 keeps the three entries as they were and adds s390x (the exact
// manifest of it/buildah-parts:s390x, its blobs mounted); annotate set A=B on the arm64 entry only and the
// description on the index, and re-pushed only the index.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  Map images = IndexIt.readExpected(basedir)
  String description = 'Hello from the buildah flow'
  List<String> runs = IndexIt.runs(ItChecks.buildLog(basedir))
  assert runs.size() == 3: "expected the logs of three runs in build.log, found ${runs.size()}"

  // 1: refused, naming amend; nothing of arm/v7 reached it/buildah
  IndexIt.assertRunFailed(runs[0], 'create', ['<amend> (-Dmultiarch.amend)', "${host}/it/buildah:1.0 already exists",
                                            '-Dmultiarch.amend=true'])
  ItChecks.check(!runs[0].contains('multiarch: created'), "the refused run says it created something:\n${runs[0]}")
  IndexIt.assertAbsent(registry, 'it/buildah', images.armv7.digest)
  IndexIt.assertAbsent(registry, 'it/buildah', 'arm-v7')

  // the original index, as setup pushed it
  Map original = ItChecks.json(IndexIt.raw(registry, 'it/buildah', images.existing.digest)) as Map
  List<Map> before = original.manifests
  assert before*.platform*.architecture == ['amd64', 'arm64', 'ppc64le']
  assert !original.annotations && before.every { !it.annotations }: "the index setup pushed already has annotations: ${original}"

  // 2 and 3: the final index
  byte[] raw = IndexIt.raw(registry, 'it/buildah', '1.0')
  String finalDigest = ItChecks.sha256(raw)
  Map result = ItChecks.json(raw) as Map
  assert result.mediaType == ItChecks.OCI_INDEX
  List<Map> entries = result.manifests
  assert entries.size() == 4: "expected 4 entries, found ${entries*.platform}"
  assert entries*.platform == before*.platform + [[architecture: 's390x', os: 'linux']]
  assert entries*.digest == before*.digest + [images.s390x.digest]
  assert entries*.size == before*.size + [images.s390x.size]
  assert entries*.mediaType == [ItChecks.OCI_MANIFEST] * 4
  assert entries[1].platform == [architecture: 'arm64', os: 'linux', variant: 'v8']
  assert entries[1].annotations == [A: 'B']: "the arm64 entry's annotations: ${entries[1].annotations}"
  [0, 2, 3].each { assert !entries[it].annotations: "entry ${entries[it].platform} got annotations: ${entries[it].annotations}" }
  assert result.annotations == ['org.opencontainers.image.description': description]

  // the s390x child in it/buildah is the exact manifest of it/buildah-parts:s390x; skopeo resolves to it
  byte[] s390x = IndexIt.raw(registry, 'it/buildah', images.s390x.digest)
  ItChecks.check(Arrays.equals(s390x, IndexIt.raw(registry, 'it/buildah-parts', 's390x')), 'the s390x child differs from its source')
  byte[] config = IndexIt.configFor(registry, 'it/buildah', '1.0', ['--override-os', 'linux', '--override-arch', 's390x'])
  assert ItChecks.sha256(config) == images.s390x.configDigest
  byte[] ppc = IndexIt.configFor(registry, 'it/buildah', '1.0', ['--override-os', 'linux', '--override-arch', 'ppc64le'])
  assert ItChecks.sha256(ppc) == (ItChecks.json(IndexIt.raw(registry, 'it/buildah', before[2].digest)) as Map).config.digest
  // every child and blob is there: skopeo copies the whole index and verifies the digests
  File copy = new File(basedir, 'target/copy')
  copy.deleteDir()
  IndexIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests'] + registry.skopeoOptions('src-')
      + ["docker://${host}/it/buildah:1.0", "oci:${copy.path}:x"])

  // what the runs said: the amend mounted the s390x blobs from it/buildah-parts; annotate pushed the final index
  IndexIt.assertRunSucceeded(runs[1], 'create')
  def summary = runs[1] =~ /(?m)^\[INFO\]   tags: 1\.0; blobs copied (\d+), mounted (\d+), already there (\d+)$/
  assert summary.find(): "no create summary in the second run:\n${runs[1]}"
  assert summary.group(1) == '0' && summary.group(2) == '2': "expected the s390x config and layer mounted: ${summary.group(0)}"
  IndexIt.assertRunSucceeded(runs[2], 'annotate')
  ItChecks.check(runs[2].contains("multiarch: ${host}/it/buildah:1.0 → ${finalDigest} (4 entries), tags: 1.0"),
      "the annotate run does not name the index it pushed (${finalDigest}):\n${runs[2]}")
} finally {
  PushIt.closeAll(basedir)
}
return true
