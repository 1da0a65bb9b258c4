// Files named the way release scripts and toolchains already name them: dist/greet-linux-arm64 (Go's
// GOOS-GOARCH, buildx's TARGETPLATFORM), and conf/aarch64.txt (uname -m). Compiles common/hello.c for the five
// platforms under those names and starts a plain-HTTP registry for the push.
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

ItSupport.requireTools(['skopeo', 'umoci', 'qemu-aarch64-static'])
Map unameMachine = ['linux/amd64': 'x86_64', 'linux/arm64': 'aarch64', 'linux/arm/v7': 'armv7l',
                    'linux/ppc64le': 'ppc64le', 'linux/s390x': 's390x']
unameMachine.each { String platform, String machine ->
  File binary = new File(basedir, "dist/greet-${platform.replace('/', '-')}")
  ItSupport.compileHello(basedir, platform, binary)
  ItSupport.assertMachine(binary, platform)
  File conf = new File(basedir, "conf/${machine}.txt")
  conf.parentFile.mkdirs()
  conf.text = "uname -m: ${machine}\n"
}
assert new File(basedir, 'dist/greet-linux-arm64').isFile()
assert new File(basedir, 'dist/greet-linux-arm-v7').isFile()

def registry = PushIt.startRegistry(basedir)
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/greet",
    'multiarch.insecureRegistries': registry.host(),
])
return true
