import io.github.multiarch.testing.it.ItSupport

['linux/amd64', 'linux/arm64'].each { platform ->
  ItSupport.compileHello(basedir, platform, new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello"))
}
return true
