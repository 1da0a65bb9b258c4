// A plain-HTTP registry holding the base every module builds on: two platforms, a 1 MiB layer of random bytes
// that all of them share, and a layer per platform. Pushed with the engine.
import io.github.multiarch.EngineLog
import io.github.multiarch.oci.ImageName
import io.github.multiarch.registry.LayoutPusher
import io.github.multiarch.registry.PushRequest
import io.github.multiarch.registry.RegistryClient
import io.github.multiarch.testing.TestImages

import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
def base = TestImages.build(new File(basedir, 'target/base').toPath(), '1', ['linux/amd64', 'linux/arm64'], 'reactor base',
    1024 * 1024)
new LayoutPusher(new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE), EngineLog.NONE)
    .push(new PushRequest(base.layout(), null, ImageName.parse('image', "${registry.host()}/it/base"), ['1'], null, [:], 2))
PushIt.writeProperties(basedir, 'push.properties', ['it.registry': registry.host()])
return true
