// A registry for the pushes, and the two property files of invoker.properties: the registry alone, and the
// registry with -Dmultiarch.layout naming the built layout's oci/ directory.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

def registry = push.startRegistry(basedir)
Map properties = [
    'multiarch.image'             : "${registry.host()}/it/stale",
    'multiarch.insecureRegistries': registry.host(),
]
push.writeProperties(basedir, 'push.properties', properties)
push.writeProperties(basedir, 'push-named-layout.properties',
    properties + ['multiarch.layout': new File(basedir, 'target/multiarch/oci').path])
return true
