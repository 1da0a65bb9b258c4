// Compiles common/hello.c statically for each platform into bin/{platform}/hello, the files the POM's one
// layer line names.
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'].each { platform ->
  File binary = new File(basedir, "bin/${support.platform(platform).slug}/hello")
  support.compileHello(basedir, platform, binary)
  // the binary itself is right before the plugin sees it
  support.assertMachine(binary, platform)
  assert support.runBinary(binary, platform) == "hello from ${platform}"
}
return true
