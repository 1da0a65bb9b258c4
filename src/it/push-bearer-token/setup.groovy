// A token service (JDK HTTP server in this JVM) and a plain-HTTP registry that trusts its tokens. Only the
// user of invoker.properties gets tokens.
import io.github.multiarch.testing.TokenServer

def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

def tokens = push.keep(basedir, 'tokens', TokenServer.start('it-' + basedir.name, 'it-token-user', 'it-token-secret-7f3c9a'))
// anonymous users get nothing, so a push that did not trade the credentials for a token fails
tokens.policy { user, repository -> user == null ? [] as Set : ['pull', 'push'] as Set }
def registry = push.startRegistry(basedir) { it.tokenAuth(tokens) }
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/token",
    'multiarch.insecureRegistries': registry.host(),
])
return true
