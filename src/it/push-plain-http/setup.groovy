// Compiles common/hello.c for the five platforms (as native-five-platforms does), starts a plain-HTTP registry
// and hands its address to the Maven runs as -D properties.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def push = loader.loadClass('PushIt')

support.requireTools(['skopeo', 'umoci', 'qemu-aarch64-static'])
['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].each { platform ->
  File binary = new File(basedir, "bin/${support.platform(platform).slug}/hello")
  support.compileHello(basedir, platform, binary)
  support.assertMachine(binary, platform)
}

def registry = push.startRegistry(basedir)
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/hello",
    'multiarch.insecureRegistries': registry.host(),
])
return true
