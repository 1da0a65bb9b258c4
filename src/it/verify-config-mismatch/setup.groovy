// Writes an OCI layout by hand, as a hand-rolled `manifest create` might: the amd64 image correctly, and an
// arm64 entry that points at another copy of the amd64 image (its config says amd64, its /hello is amd64).
// skopeo, picking the arm64 entry the way podman does, is given the amd64 config: the mistake is real.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def verifyIt = loader.loadClass('VerifyIt')

File amd64 = new File(basedir, 'bin/amd64/hello')
support.compileHello(basedir, 'linux/amd64', amd64)
File layout = new File(basedir, 'handmade')
verifyIt.initLayout(layout)
byte[] layer = verifyIt.tar([[name: 'hello', file: amd64, mode: 0755]])
// a second layer makes the wrong image's digests differ from the right one's
byte[] marker = verifyIt.tar([[name: 'etc/built-for', text: 'arm64, supposedly\n']])
List<Map> entries = [
    verifyIt.writeImage(layout, [architecture: 'amd64', os: 'linux'], [architecture: 'amd64', os: 'linux'],
        [layer], ['/hello']),
    verifyIt.writeImage(layout, [architecture: 'arm64', os: 'linux', variant: 'v8'], [architecture: 'amd64', os: 'linux'],
        [layer, marker], ['/hello']),
]
verifyIt.writeIndex(layout, 'latest', entries)

byte[] config = support.runBytes(['skopeo', 'inspect', '--raw', '--config', '--override-os', 'linux', '--override-arch',
                                  'arm64', "oci:${layout.path}:latest"])
assert support.json(config).architecture == 'amd64': 'skopeo should get the (wrong) amd64 config for arm64'
return true
