// Compiles common/hello.c statically for each platform into bin/{platform}/hello, the files the POM's one
// layer line names.
import io.github.multiarch.testing.it.ItSupport

['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].each { platform ->
  File binary = new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello")
  ItSupport.compileHello(basedir, platform, binary)
  // the binary itself is right before the plugin sees it
  ItSupport.assertMachine(binary, platform)
  assert ItSupport.runBinary(binary, platform) == "hello from ${platform}"
}
return true
