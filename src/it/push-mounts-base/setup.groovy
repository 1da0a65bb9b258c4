// A registry holding a two-platform base image in base/app:1 (built by the engine with TestImages: a layer
// shared by both platforms and one of each platform's own), copied there by skopeo.
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistryWithBase(basedir, 'push-mounts-base')
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.from'              : "${registry.host()}/base/app:1",
    'multiarch.image'             : "${registry.host()}/derived/app",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.cacheDirectory'    : new File(basedir, 'target/base-cache').path,
])
return true
