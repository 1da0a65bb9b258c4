// :multi is an OCI index of the three images (their manifests by digest, each platform read from its config,
// the Windows os.version kept, the Docker child left Docker); skopeo resolves --override-os windows and
// --override-arch arm64 to the right children; inspect's table shows the three entries, the Windows os.version
// and the OCI/Docker mix; the quiet JSON run printed only a valid JSON document describing the same index.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String repository = 'it/podman'
  Map images = IndexIt.readExpected(basedir)
  List<String> order = ['amd64', 'arm64', 'amd64win']

  // the index as the registry serves it
  byte[] raw = IndexIt.raw(registry, repository, 'multi')
  String indexDigest = ItChecks.sha256(raw)
  Map multi = ItChecks.json(raw) as Map
  assert multi.mediaType == ItChecks.OCI_INDEX
  assert multi.schemaVersion == 2
  List<Map> entries = multi.manifests
  assert entries*.digest == order.collect { images[it].digest }: "the entries are not the three images, in order: ${entries}"
  assert entries*.mediaType == [ItChecks.OCI_MANIFEST, ItChecks.OCI_MANIFEST, IndexIt.DOCKER_MANIFEST]
  assert entries[0].platform == [architecture: 'amd64', os: 'linux']
  assert entries[1].platform == [architecture: 'arm64', os: 'linux', variant: 'v8']
  assert entries[2].platform == [architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2655']
  entries.eachWithIndex { Map entry, int i ->
    byte[] child = IndexIt.raw(registry, repository, entry.digest)
    assert ItChecks.sha256(child) == entry.digest && child.length == entry.size
  }

  // skopeo, as podman or CRI-O would, resolves each platform to its child: the config it reads is the child's
  byte[] windows = IndexIt.configFor(registry, repository, 'multi', ['--override-os', 'windows', '--override-arch', 'amd64'])
  assert ItChecks.sha256(windows) == images.amd64win.configDigest: 'skopeo --override-os windows chose another child'
  assert (ItChecks.json(windows) as Map).'os.version' == '10.0.20348.2655'
  byte[] arm = IndexIt.configFor(registry, repository, 'multi', ['--override-os', 'linux', '--override-arch', 'arm64'])
  assert ItChecks.sha256(arm) == images.arm64.configDigest: 'skopeo --override-arch arm64 chose another child'
  byte[] amd = IndexIt.configFor(registry, repository, 'multi', ['--override-os', 'linux', '--override-arch', 'amd64'])
  assert ItChecks.sha256(amd) == images.amd64.configDigest: 'skopeo --override-arch amd64 chose another child'

  // build.log: create's run, the table, then the JSON alone
  String log = ItChecks.buildLog(basedir)
  List<String> runs = IndexIt.runs(log)
  assert runs.size() == 2: "expected the logs of create and inspect (the quiet run prints no header), found ${runs.size()}"
  IndexIt.assertRunSucceeded(runs[0], 'create')
  ItChecks.check(runs[0].contains("multiarch: created ${registry.host()}/${repository} ${indexDigest}"),
      "create's run does not name the index it pushed (${indexDigest}):\n${runs[0]}")
  IndexIt.assertRunSucceeded(runs[1], 'inspect')
  List<String> table = runs[1].readLines().findAll { it.startsWith('[INFO] ') }.collect { it.substring(7) }
  String shown = "\n--- the inspect run:\n${table.join('\n')}"
  ItChecks.check(table.any { it == "${registry.host()}/${repository}:multi: OCI image index ${indexDigest} (${raw.length} bytes)".toString() },
      "the table does not name the OCI index ${indexDigest}${shown}")
  ItChecks.check(table.any { it.contains('mixed media types: OCI and Docker') }, "the table does not say the index mixes OCI and Docker media types${shown}")
  List<String> header = table.findAll { it ==~ /\s+PLATFORM\s+KIND\s+DIGEST\s+SIZE\s+MEDIA TYPE/ }
  assert header.size() == 1: "no table header${shown}"
  int digestColumn = header[0].indexOf('DIGEST')
  [['linux/amd64', 0], ['linux/arm64/v8', 1], ['windows/amd64 (os.version 10.0.20348.2655)', 2]].each { String platform, int i ->
    List<String> rows = table.findAll { it.contains(entries[i].digest) }
    assert rows.size() == 1: "the table has ${rows.size()} rows for ${entries[i].digest}${shown}"
    String row = rows[0]
    ItChecks.check(row.trim().startsWith(platform + ' '), "the row of ${entries[i].digest} does not start with ${platform}: '${row}'")
    ItChecks.check(row.indexOf(entries[i].digest) == digestColumn, "the row of ${platform} is not aligned with the header: '${row}'")
    ItChecks.check(row.contains(" image ") && row.endsWith(entries[i].mediaType) && row.contains(" ${entries[i].size}  "),
        "the row of ${platform} does not show kind, size and media type: '${row}'")
  }

  Map json = IndexIt.quietJson(log)
  assert json.reference == "${registry.host()}/${repository}:multi".toString()
  assert json.mediaType == ItChecks.OCI_INDEX
  assert json.digest == indexDigest && json.size == raw.length
  assert json.index == true
  assert json.mixed == true && json.mediaTypeFamilies as Set == ['OCI', 'Docker'] as Set
  assert json.manifests*.digest == entries*.digest
  assert json.manifests*.mediaType == entries*.mediaType
  assert json.manifests*.size == entries*.size
  assert json.manifests*.kind == ['image', 'image', 'image']
  assert json.manifests*.platform == ['linux/amd64', 'linux/arm64/v8', 'windows/amd64']
  assert json.manifests[2].platformFields == [architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2655']
  assert json.manifests[1].platformFields == [architecture: 'arm64', os: 'linux', variant: 'v8']
} finally {
  PushIt.closeAll(basedir)
}
return true
