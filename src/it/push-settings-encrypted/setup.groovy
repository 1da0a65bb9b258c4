// A registry with TLS (self-signed certificate) and htpasswd basic auth. The credentials go into a settings file
// only, as a <server> with the id host:port and an encrypted password; settings-security.xml holds the encrypted
// master password and is named with -Dsettings.security.
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir) { it.tls().basicAuth('it-user', 'it-pass-' + UUID.randomUUID()) }
assert registry.certificate() != null
Map settings = PushIt.writeEncryptedSettings(basedir, registry.host(), registry.username(), registry.password())
PushIt.keep(basedir, 'encryptedPassword', settings.encryptedPassword)
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'         : "${registry.host()}/it/secure",
    'multiarch.caCertificates': registry.certificate(),
    'settings.security'       : settings.security.canonicalPath,
])
return true
