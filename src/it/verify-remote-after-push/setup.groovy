// Compiles hello for two platforms, starts a plain-HTTP registry, and hands its address to the Maven run.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def push = loader.loadClass('PushIt')

support.requireTools(['qemu-aarch64-static'])
['linux/amd64', 'linux/arm64'].each { platform ->
  support.compileHello(basedir, platform, new File(basedir, "bin/${support.platform(platform).slug}/hello"))
}
def registry = push.startRegistry(basedir)
push.writeProperties(basedir, 'verify.properties', [
    'multiarch.image'             : "${registry.host()}/it/verify",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.smokeRun'          : 'true',
])
return true
