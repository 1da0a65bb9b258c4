// A plain-HTTP registry with htpasswd basic auth; the settings file has the right user name and an encrypted
// wrong password.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

def registry = push.startRegistry(basedir) { it.basicAuth('it-user', 'it-pass-' + UUID.randomUUID()) }
String wrong = 'wrong-pass-' + UUID.randomUUID()
push.keep(basedir, 'wrongPassword', wrong)
Map settings = push.writeEncryptedSettings(basedir, registry.host(), registry.username(), wrong)
push.keep(basedir, 'encryptedPassword', settings.encryptedPassword)
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/refused",
    'multiarch.insecureRegistries': registry.host(),
    'settings.security'           : settings.security.canonicalPath,
])
return true
