// A TLS registry with basic auth for the user of invoker.properties, and the image to push (built here).
import io.github.multiarch.testing.TestImages

def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

TestImages.build(new File(basedir, 'image').toPath(), '1.0', ['linux/amd64'], 'secrets-env', 0)
def registry = push.startRegistry(basedir) { it.tls().basicAuth('it-env-user', 'it-env-secret-5b2d9e71') }
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'         : "${registry.host()}/it/env",
    'multiarch.caCertificates': registry.certificate(),
])
return true
