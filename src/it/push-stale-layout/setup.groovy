// A registry for the pushes, and the two property files of invoker.properties: the registry alone, and the
// registry with -Dmultiarch.layout naming the built layout's oci/ directory.
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
Map properties = [
    'multiarch.image'             : "${registry.host()}/it/stale",
    'multiarch.insecureRegistries': registry.host(),
]
PushIt.writeProperties(basedir, 'push.properties', properties)
PushIt.writeProperties(basedir, 'push-named-layout.properties',
    properties + ['multiarch.layout': new File(basedir, 'target/multiarch/oci').path])
return true
