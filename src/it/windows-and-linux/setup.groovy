// Compiles hello for linux/amd64, linux/arm64 (ELF) and windows/amd64 (a PE made by MinGW-w64), starts a
// registry that accepts foreign layers' urls, and pushes a Windows-shaped base to it: Docker v2 media types, two
// windows/amd64 entries (os.version 10.0.17763.6054 and 10.0.20348.2582) whose first layer is foreign (urls,
// stored nowhere).
import io.github.multiarch.testing.WindowsBase
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

['linux/amd64', 'linux/arm64'].each { platform ->
  ItSupport.compileHello(basedir, platform, new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello"))
}
ItSupport.compileHello(basedir, 'windows/amd64', new File(basedir, 'bin/windows-amd64/hello.exe'))
def registry = PushIt.startRegistry(basedir) { it.allowForeignLayerUrls() }
WindowsBase.writeAndPush(new File(basedir, 'base').toPath(), registry, 'base/nanoserver')
PushIt.writeProperties(basedir, 'windows.properties', [
    'multiarch.image'             : "${registry.host()}/it/mixed",
    'multiarch.insecureRegistries': registry.host(),
    'windows.base'                : "${registry.host()}/base/nanoserver:${WindowsBase.TAG}",
])
return true
