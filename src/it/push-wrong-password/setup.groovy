// A plain-HTTP registry with htpasswd basic auth; the settings file has the right user name and an encrypted
// wrong password.
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir) { it.basicAuth('it-user', 'it-pass-' + UUID.randomUUID()) }
String wrong = 'wrong-pass-' + UUID.randomUUID()
PushIt.keep(basedir, 'wrongPassword', wrong)
Map settings = PushIt.writeEncryptedSettings(basedir, registry.host(), registry.username(), wrong)
PushIt.keep(basedir, 'encryptedPassword', settings.encryptedPassword)
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/refused",
    'multiarch.insecureRegistries': registry.host(),
    'settings.security'           : settings.security.canonicalPath,
])
return true
