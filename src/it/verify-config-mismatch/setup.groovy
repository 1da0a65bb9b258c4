// Writes an OCI layout by hand, as a hand-rolled `manifest create` might: the amd64 image correctly, and an
// arm64 entry that points at another copy of the amd64 image (its config says amd64, its /hello is amd64).
// skopeo, picking the arm64 entry the way podman does, is given the amd64 config: the mistake is real.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.VerifyIt

File amd64 = new File(basedir, 'bin/amd64/hello')
ItSupport.compileHello(basedir, 'linux/amd64', amd64)
File layout = new File(basedir, 'handmade')
VerifyIt.initLayout(layout)
byte[] layer = VerifyIt.tar([[name: 'hello', file: amd64, mode: 0755]])
// a second layer makes the wrong image's digests differ from the right one's
byte[] marker = VerifyIt.tar([[name: 'etc/built-for', text: 'arm64, supposedly\n']])
List<Map> entries = [
    VerifyIt.writeImage(layout, [architecture: 'amd64', os: 'linux'], [architecture: 'amd64', os: 'linux'],
        [layer], ['/hello']),
    VerifyIt.writeImage(layout, [architecture: 'arm64', os: 'linux', variant: 'v8'], [architecture: 'amd64', os: 'linux'],
        [layer, marker], ['/hello']),
]
VerifyIt.writeIndex(layout, 'latest', entries)

byte[] config = ItSupport.runBytes(['skopeo', 'inspect', '--raw', '--config', '--override-os', 'linux', '--override-arch',
                                  'arm64', "oci:${layout.path}:latest"])
assert ItChecks.json(config).architecture == 'amd64': 'skopeo should get the (wrong) amd64 config for arm64'
return true
