// Three registries, each with its own way of authenticating, and the files the credentials come from:
//   tls-settings          TLS + htpasswd; a settings.xml <server> whose password is encrypted (settings-security.xml)
//   bearer-docker-config  token auth (a token service of this JVM); Docker config.json "auths" ($DOCKER_CONFIG)
//   podman-auth-file      TLS + htpasswd; podman auth.json ($REGISTRY_AUTH_FILE)
// The image to push is built here, with the engine, so that the Maven run is nothing but multiarch:push.
import groovy.json.JsonOutput
import io.github.multiarch.testing.TestImages
import io.github.multiarch.testing.TokenServer

import io.github.multiarch.testing.it.PushIt

String secret(String name) { "${name}-${UUID.randomUUID()}" }

TestImages.build(new File(basedir, 'image').toPath(), '1.0', ['linux/amd64', 'linux/arm64'], 'secrets', 0)

def tls = PushIt.keep(basedir, 'tls', io.github.multiarch.testing.TestRegistry.builder('it-secrets-tls').tls()
    .basicAuth('settings-user', secret('settings-pw')).start())
Map settings = PushIt.writeEncryptedSettings(basedir, tls.host(), tls.username(), tls.password())
PushIt.keep(basedir, 'encryptedPassword', settings.encryptedPassword)

String bearerPassword = secret('bearer-pw')
def tokens = PushIt.keep(basedir, 'tokens', TokenServer.start('it-secrets', 'bearer-user', bearerPassword))
tokens.policy { user, repository -> user == null ? [] as Set : ['pull', 'push'] as Set }
def bearer = PushIt.keep(basedir, 'bearer', io.github.multiarch.testing.TestRegistry.builder('it-secrets-bearer')
    .tokenAuth(tokens).start())
PushIt.keep(basedir, 'bearerPassword', bearerPassword)
File docker = new File(basedir, 'docker')
docker.mkdirs()
new File(docker, 'config.json').text = JsonOutput.toJson([auths: [(bearer.host()):
    [auth: "bearer-user:${bearerPassword}".toString().bytes.encodeBase64().toString()]]])

def podman = PushIt.keep(basedir, 'podman', io.github.multiarch.testing.TestRegistry.builder('it-secrets-podman').tls()
    .basicAuth('podman-user', secret('podman-pw')).start())
File podmanDir = new File(basedir, 'podman')
podmanDir.mkdirs()
new File(podmanDir, 'auth.json').text = JsonOutput.toJson([auths: [(podman.host()):
    [auth: "podman-user:${podman.password()}".toString().bytes.encodeBase64().toString()]]])

PushIt.writeProperties(basedir, 'push.properties', [
    'it.tls.host'      : tls.host(),
    'it.tls.ca'        : tls.certificate(),
    'it.bearer.host'   : bearer.host(),
    'it.podman.host'   : podman.host(),
    'it.podman.ca'     : podman.certificate(),
    'settings.security': settings.security.canonicalPath,
])
return true
