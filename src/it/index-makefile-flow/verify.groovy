// The staging repository holds each platform's manifest under 1.0.0-{platform}; the release repository's 1.0.0 and
// latest hold one index (the same bytes) whose entries are exactly those manifests, with the platforms the build
// wrote (read back from their configs by create, arm64's v8 and arm's v7 included); skopeo resolves each platform
// to its image; create mounted every blob from the staging repository (nothing uploaded again).
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  List<String> platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
  Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  List<Map> builtEntries = built.json.manifests
  assert builtEntries.size() == 3

  // run 1: the per-platform tags of the staging repository are the built manifests
  platforms.eachWithIndex { String name, int i ->
    byte[] tagged = IndexIt.raw(registry, 'it/hello-staging', "1.0.0-${ItSupport.platform(name).slug}")
    ItChecks.check(Arrays.equals(tagged, ItChecks.blob(new File(basedir, 'target/multiarch/oci'), builtEntries[i].digest)),
        "it/hello-staging:1.0.0-${ItSupport.platform(name).slug} is not the built ${name} manifest")
  }

  // run 2: 1.0.0 and latest, one index of those manifests
  byte[] raw = IndexIt.raw(registry, 'it/hello', '1.0.0')
  String digest = ItChecks.sha256(raw)
  ItChecks.check(Arrays.equals(raw, IndexIt.raw(registry, 'it/hello', 'latest')), 'it/hello:latest is not the index of it/hello:1.0.0')
  List tags = IndexIt.tags(registry, 'it/hello')
  assert tags.findAll { !it.startsWith('sha256-') } as Set == ['1.0.0', 'latest'] as Set
  // each child's attestations (on by default) came along with it: distribution 2.8 has no referrers API, so each
  // child has a referrers tag
  assert tags.findAll { it.startsWith('sha256-') } as Set == builtEntries.collect { it.digest.replace(':', '-') } as Set
  Map result = ItChecks.json(raw) as Map
  assert result.mediaType == ItChecks.OCI_INDEX
  List<Map> entries = result.manifests
  assert entries*.digest == builtEntries*.digest
  assert entries*.size == builtEntries*.size
  assert entries*.mediaType == builtEntries*.mediaType
  assert entries*.platform == builtEntries*.platform
  assert entries*.platform == [[architecture: 'amd64', os: 'linux'], [architecture: 'arm64', os: 'linux', variant: 'v8'],
                               [architecture: 'arm', os: 'linux', variant: 'v7']]

  // skopeo resolves each platform of the release tag to the built image's config
  platforms.eachWithIndex { String name, int i ->
    Map manifest = ItChecks.json(ItChecks.blob(new File(basedir, 'target/multiarch/oci'), builtEntries[i].digest))
    byte[] config = IndexIt.configFor(registry, 'it/hello', 'latest', ItSupport.skopeoPlatform(name))
    assert ItChecks.sha256(config) == manifest.config.digest: "skopeo chose another image for ${name} in it/hello:latest"
  }

  // the runs: the push uploaded everything to staging; create mounted all 6 blobs (3 configs, 3 layers) into it/hello
  String log = ItChecks.buildLog(basedir)
  List<String> runs = IndexIt.runs(log)
  assert runs.size() == 2: "expected the logs of two runs in build.log, found ${runs.size()}"
  IndexIt.assertRunSucceeded(runs[0], 'push')
  IndexIt.assertRunSucceeded(runs[1], 'create')
  ItChecks.check(runs[1].contains("multiarch: created ${host}/it/hello ${digest}"), "create does not name the index ${digest}:\n${runs[1]}")
  ItChecks.check(runs[1].contains('[INFO]   tags: 1.0.0, latest; blobs copied 0, mounted 6, already there 0'),
      "create did not mount the 6 blobs from the staging repository:\n${runs[1]}")
} finally {
  PushIt.closeAll(basedir)
}
return true
