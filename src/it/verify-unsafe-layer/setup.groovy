// Writes an OCI layout by hand whose second layers try to write outside the image root when unpacked: the amd64
// image with an entry '../../../../escaped-by-dotdot', the arm64 image with a symbolic link 'out' to
// '../../../../' (in its first layer) and a file 'out/escaped-by-symlink' (in its second). From the unpacked root
// (target/multiarch-verify/smoke-*/rootfs) both would land in this test's directory. The first layers are fine:
// each platform's /hello.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def verifyIt = loader.loadClass('VerifyIt')

Map binaries = [:]
['linux/amd64', 'linux/arm64'].each { platform ->
  binaries[platform] = new File(basedir, "bin/${support.platform(platform).slug}/hello")
  support.compileHello(basedir, platform, binaries[platform])
}
File layout = new File(basedir, 'handmade')
verifyIt.initLayout(layout)
List<Map> entries = [
    verifyIt.writeImage(layout, [architecture: 'amd64', os: 'linux'], [architecture: 'amd64', os: 'linux'], [
        verifyIt.tar([[name: 'hello', file: binaries['linux/amd64'], mode: 0755]]),
        verifyIt.tar([[name: '../../../../escaped-by-dotdot', text: 'outside\n']]),
    ], ['/hello']),
    verifyIt.writeImage(layout, [architecture: 'arm64', os: 'linux', variant: 'v8'],
        [architecture: 'arm64', os: 'linux', variant: 'v8'], [
        verifyIt.tar([[name: 'hello', file: binaries['linux/arm64'], mode: 0755], [name: 'out', symlink: '../../../../']]),
        verifyIt.tar([[name: 'out/escaped-by-symlink', text: 'outside\n']]),
    ], ['/hello']),
]
verifyIt.writeIndex(layout, 'latest', entries)
return true
