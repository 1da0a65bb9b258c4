// Compiles common/hello.c for linux/amd64, linux/arm64 and linux/arm/v7, starts a registry and writes the -D
// properties of the two runs: the push (staging repository it/hello-staging, per-platform tags {tag}-{platform}) and
// the create (release repository it/hello, tags 1.0.0 and latest, from the staging repository's per-platform tags).
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def push = loader.loadClass('PushIt')

List<String> platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
platforms.each { platform ->
  File binary = new File(basedir, "bin/${support.platform(platform).slug}/hello")
  support.compileHello(basedir, platform, binary)
  support.assertMachine(binary, platform)
}

def registry = push.startRegistry(basedir)
String host = registry.host()
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${host}/it/hello-staging",
    'multiarch.platformTags'      : '{tag}-{platform}',
    'multiarch.insecureRegistries': host,
])
push.writeProperties(basedir, 'create.properties', [
    'multiarch.image'             : "${host}/it/hello:1.0.0",
    'multiarch.tags'              : 'latest',
    'multiarch.sources'           : platforms.collect { "${host}/it/hello-staging:1.0.0-${support.platform(it).slug}" }.join(','),
    'multiarch.insecureRegistries': host,
])
return true
