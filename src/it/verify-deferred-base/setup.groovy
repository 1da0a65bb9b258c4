// A registry holding a two-platform base image in base/app:1 (built by the engine with TestImages), copied there
// by skopeo; the build is told to leave the base layers there (baseLayers=defer).
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistryWithBase(basedir, 'verify-deferred-base')
PushIt.writeProperties(basedir, 'verify.properties', [
    'multiarch.from'              : "${registry.host()}/base/app:1",
    'multiarch.baseLayers'        : 'defer',
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.cacheDirectory'    : new File(basedir, 'target/base-cache').path,
])
return true
