// Compiles the per-platform binaries once: both builds read the same inputs.
import io.github.multiarch.testing.it.ItSupport

['linux/amd64', 'linux/arm64'].each { platform ->
  ItSupport.compileHello(basedir, platform, new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello"))
}
new File(basedir, 'out1').deleteDir()
new File(basedir, 'out2').deleteDir()
return true
