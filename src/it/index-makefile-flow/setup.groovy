// Compiles common/hello.c for linux/amd64, linux/arm64 and linux/arm/v7, starts a registry and writes the -D
// properties of the two runs: the push (staging repository it/hello-staging, per-platform tags {tag}-{platform}) and
// the create (release repository it/hello, tags 1.0.0 and latest, from the staging repository's per-platform tags).
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

List<String> platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
platforms.each { platform ->
  File binary = new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello")
  ItSupport.compileHello(basedir, platform, binary)
  ItSupport.assertMachine(binary, platform)
}

def registry = PushIt.startRegistry(basedir)
String host = registry.host()
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${host}/it/hello-staging",
    'multiarch.platformTags'      : '{tag}-{platform}',
    'multiarch.insecureRegistries': host,
])
PushIt.writeProperties(basedir, 'create.properties', [
    'multiarch.image'             : "${host}/it/hello:1.0.0",
    'multiarch.tags'              : 'latest',
    'multiarch.sources'           : platforms.collect { "${host}/it/hello-staging:1.0.0-${ItSupport.platform(it).slug}" }.join(','),
    'multiarch.insecureRegistries': host,
])
return true
