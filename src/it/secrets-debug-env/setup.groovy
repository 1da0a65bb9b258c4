// A TLS registry with basic auth for the user of invoker.properties, and the image to push (built here).
import io.github.multiarch.testing.TestImages

import io.github.multiarch.testing.it.PushIt

TestImages.build(new File(basedir, 'image').toPath(), '1.0', ['linux/amd64'], 'secrets-env', 0)
def registry = PushIt.startRegistry(basedir) { it.tls().basicAuth('it-env-user', 'it-env-secret-5b2d9e71') }
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'         : "${registry.host()}/it/env",
    'multiarch.caCertificates': registry.certificate(),
])
return true
