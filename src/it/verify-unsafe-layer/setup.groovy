// Writes an OCI layout by hand whose second layers try to write outside the image root when unpacked: the amd64
// image with an entry '../../../../escaped-by-dotdot', the arm64 image with a symbolic link 'out' to
// '../../../../' (in its first layer) and a file 'out/escaped-by-symlink' (in its second). From the unpacked root
// (target/multiarch-verify/smoke-*/rootfs) both would land in this test's directory. The first layers are fine:
// each platform's /hello.
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.VerifyIt

Map binaries = [:]
['linux/amd64', 'linux/arm64'].each { platform ->
  binaries[platform] = new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello")
  ItSupport.compileHello(basedir, platform, binaries[platform])
}
File layout = new File(basedir, 'handmade')
VerifyIt.initLayout(layout)
List<Map> entries = [
    VerifyIt.writeImage(layout, [architecture: 'amd64', os: 'linux'], [architecture: 'amd64', os: 'linux'], [
        VerifyIt.tar([[name: 'hello', file: binaries['linux/amd64'], mode: 0755]]),
        VerifyIt.tar([[name: '../../../../escaped-by-dotdot', text: 'outside\n']]),
    ], ['/hello']),
    VerifyIt.writeImage(layout, [architecture: 'arm64', os: 'linux', variant: 'v8'],
        [architecture: 'arm64', os: 'linux', variant: 'v8'], [
        VerifyIt.tar([[name: 'hello', file: binaries['linux/arm64'], mode: 0755], [name: 'out', symlink: '../../../../']]),
        VerifyIt.tar([[name: 'out/escaped-by-symlink', text: 'outside\n']]),
    ], ['/hello']),
]
VerifyIt.writeIndex(layout, 'latest', entries)
return true
