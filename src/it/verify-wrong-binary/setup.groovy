// The mistake: the amd64 binary is copied to the arm64 directory as well (a Makefile that built once).
import io.github.multiarch.testing.it.ItSupport

File amd64 = new File(basedir, 'bin/linux-amd64/hello')
ItSupport.compileHello(basedir, 'linux/amd64', amd64)
File arm64 = new File(basedir, 'bin/linux-arm64/hello')
arm64.parentFile.mkdirs()
arm64.bytes = amd64.bytes
arm64.setExecutable(true)
ItSupport.assertMachine(arm64, 'linux/amd64')
return true
