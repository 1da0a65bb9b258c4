// Compiles common/hello.c statically for each platform into bin/{platform}/hello (as native-five-platforms does),
// and checks that qemu-user is there for the smoke run.
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.requireTools(['qemu-aarch64-static', 'qemu-arm-static', 'qemu-ppc64le-static', 'qemu-s390x-static'])
['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].each { platform ->
  File binary = new File(basedir, "bin/${support.platform(platform).slug}/hello")
  support.compileHello(basedir, platform, binary)
  support.assertMachine(binary, platform)
}
return true
