// A token service (JDK HTTP server in this JVM) and a plain-HTTP registry that trusts its tokens. Only the
// user of invoker.properties gets tokens.
import io.github.multiarch.testing.TokenServer

import io.github.multiarch.testing.it.PushIt

def tokens = PushIt.keep(basedir, 'tokens', TokenServer.start('it-' + basedir.name, 'it-token-user', 'it-token-secret-7f3c9a'))
// anonymous users get nothing, so a push that did not trade the credentials for a token fails
tokens.policy { user, repository -> user == null ? [] as Set : ['pull', 'push'] as Set }
def registry = PushIt.startRegistry(basedir) { it.tokenAuth(tokens) }
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/token",
    'multiarch.insecureRegistries': registry.host(),
])
return true
