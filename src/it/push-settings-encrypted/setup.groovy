// A registry with TLS (self-signed certificate) and htpasswd basic auth. The credentials go into a settings file
// only, as a <server> with the id host:port and an encrypted password; settings-security.xml holds the encrypted
// master password and is named with -Dsettings.security.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

def registry = push.startRegistry(basedir) { it.tls().basicAuth('it-user', 'it-pass-' + UUID.randomUUID()) }
assert registry.certificate() != null
Map settings = push.writeEncryptedSettings(basedir, registry.host(), registry.username(), registry.password())
push.keep(basedir, 'encryptedPassword', settings.encryptedPassword)
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'         : "${registry.host()}/it/secure",
    'multiarch.caCertificates': registry.certificate(),
    'settings.security'       : settings.security.canonicalPath,
])
return true
