// Compiles common/hello.c statically for each platform into bin/{platform}/hello (as native-five-platforms does),
// and checks that qemu-user is there for the smoke run.
import io.github.multiarch.testing.it.ItSupport

ItSupport.requireTools(['qemu-aarch64-static', 'qemu-arm-static', 'qemu-ppc64le-static', 'qemu-s390x-static'])
['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].each { platform ->
  File binary = new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello")
  ItSupport.compileHello(basedir, platform, binary)
  ItSupport.assertMachine(binary, platform)
}
return true
