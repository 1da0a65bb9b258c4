// Compiles hello for two platforms, starts a plain-HTTP registry, and hands its address to the Maven run.
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

ItSupport.requireTools(['qemu-aarch64-static'])
['linux/amd64', 'linux/arm64'].each { platform ->
  ItSupport.compileHello(basedir, platform, new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello"))
}
def registry = PushIt.startRegistry(basedir)
PushIt.writeProperties(basedir, 'verify.properties', [
    'multiarch.image'             : "${registry.host()}/it/verify",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.smokeRun'          : 'true',
])
return true
