// The staging repository holds each platform's manifest under 1.0.0-{platform}; the release repository's 1.0.0 and
// latest hold one index (the same bytes) whose entries are exactly those manifests, with the platforms the build
// wrote (read back from their configs by create, arm64's v8 and arm's v7 included); skopeo resolves each platform
// to its image; create mounted every blob from the staging repository (nothing uploaded again).
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def push = loader.loadClass('PushIt')
def index = loader.loadClass('IndexIt')

def registry = push.kept(basedir, 'registry')
try {
  String host = registry.host()
  List<String> platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
  Map built = push.builtIndex(new File(basedir, 'target/multiarch'))
  List<Map> builtEntries = built.json.manifests
  assert builtEntries.size() == 3

  // run 1: the per-platform tags of the staging repository are the built manifests
  platforms.eachWithIndex { String name, int i ->
    byte[] tagged = index.raw(registry, 'it/hello-staging', "1.0.0-${support.platform(name).slug}")
    index.check(Arrays.equals(tagged, push.blob(new File(basedir, 'target/multiarch/oci'), builtEntries[i].digest)),
        "it/hello-staging:1.0.0-${support.platform(name).slug} is not the built ${name} manifest")
  }

  // run 2: 1.0.0 and latest, one index of those manifests
  byte[] raw = index.raw(registry, 'it/hello', '1.0.0')
  String digest = index.sha256(raw)
  index.check(Arrays.equals(raw, index.raw(registry, 'it/hello', 'latest')), 'it/hello:latest is not the index of it/hello:1.0.0')
  assert index.tags(registry, 'it/hello') as Set == ['1.0.0', 'latest'] as Set
  Map result = index.json(raw) as Map
  assert result.mediaType == index.OCI_INDEX
  List<Map> entries = result.manifests
  assert entries*.digest == builtEntries*.digest
  assert entries*.size == builtEntries*.size
  assert entries*.mediaType == builtEntries*.mediaType
  assert entries*.platform == builtEntries*.platform
  assert entries*.platform == [[architecture: 'amd64', os: 'linux'], [architecture: 'arm64', os: 'linux', variant: 'v8'],
                               [architecture: 'arm', os: 'linux', variant: 'v7']]

  // skopeo resolves each platform of the release tag to the built image's config
  platforms.eachWithIndex { String name, int i ->
    Map manifest = push.json(push.blob(new File(basedir, 'target/multiarch/oci'), builtEntries[i].digest))
    byte[] config = index.configFor(registry, 'it/hello', 'latest', support.skopeoPlatform(name))
    assert index.sha256(config) == manifest.config.digest: "skopeo chose another image for ${name} in it/hello:latest"
  }

  // the runs: the push uploaded everything to staging; create mounted all 6 blobs (3 configs, 3 layers) into it/hello
  String log = index.buildLog(basedir)
  List<String> runs = index.runs(log)
  assert runs.size() == 2: "expected the logs of two runs in build.log, found ${runs.size()}"
  index.assertRunSucceeded(runs[0], 'push')
  index.assertRunSucceeded(runs[1], 'create')
  index.check(runs[1].contains("multiarch: created ${host}/it/hello ${digest}"), "create does not name the index ${digest}:\n${runs[1]}")
  index.check(runs[1].contains('[INFO]   tags: 1.0.0, latest; blobs copied 0, mounted 6, already there 0'),
      "create did not mount the 6 blobs from the staging repository:\n${runs[1]}")
} finally {
  push.closeAll(basedir)
}
return true
