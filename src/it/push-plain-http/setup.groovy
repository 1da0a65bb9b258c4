// Compiles common/hello.c for the five platforms (as native-five-platforms does), starts a plain-HTTP registry
// and hands its address to the Maven runs as -D properties.
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

ItSupport.requireTools(['skopeo', 'umoci', 'qemu-aarch64-static'])
['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].each { platform ->
  File binary = new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello")
  ItSupport.compileHello(basedir, platform, binary)
  ItSupport.assertMachine(binary, platform)
}

def registry = PushIt.startRegistry(basedir)
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/hello",
    'multiarch.insecureRegistries': registry.host(),
])
return true
