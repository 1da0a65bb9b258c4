// Two registries: the first with TLS (self-signed certificate) and basic auth, whose credentials are only in
// the settings file (a <server> with its host as id), the second plain HTTP and anonymous; and a stub in front
// of the second that forwards everything except child manifests (PUT by digest), which it refuses with 403.
// Runs 1 and 2 push to both registries directly, run 3 to the first and, through the stub, to the second.
import io.github.multiarch.testing.StubProxy
import io.github.multiarch.testing.TestRegistry

import io.github.multiarch.testing.it.PushIt

def first = PushIt.startRegistry(basedir) { it.tls().basicAuth('it-user', 'it-pass-' + UUID.randomUUID()) }
def second = PushIt.keep(basedir, 'second', TestRegistry.builder('it-push-several-targets-second').start())
def stub = PushIt.keep(basedir, 'stub', StubProxy.start(second.baseUrl()))
stub.rule(StubProxy.refusing({ r -> r.method() == 'PUT' && r.path() ==~ '/v2/it/app/manifests/sha256:[0-9a-f]{64}' },
    StubProxy.error(403, 'DENIED', 'stub: this registry refuses every manifest')))
Map settings = PushIt.writeEncryptedSettings(basedir, first.host(), first.username(), first.password())
PushIt.writeProperties(basedir, 'run-1.properties', [
    'multiarch.image'             : "${first.host()}/it/app",
    'multiarch.additionalImages'  : "${second.host()}/it/app",
    'multiarch.caCertificates'    : first.certificate(),
    'multiarch.insecureRegistries': second.host(),
    'settings.security'           : settings.security.canonicalPath,
    'multiarch.outputDirectory'   : new File(basedir, 'target/multiarch-a').path,
    'multiarch.layout'            : new File(basedir, 'target/multiarch-a').path,
])
PushIt.writeProperties(basedir, 'run-3.properties', [
    'multiarch.image'             : "${first.host()}/it/app",
    'multiarch.additionalImages'  : "${stub.host()}/it/app",
    'multiarch.caCertificates'    : first.certificate(),
    'multiarch.insecureRegistries': stub.host(),
    'settings.security'           : settings.security.canonicalPath,
    'payload'                     : 'version-b',
])
return true
