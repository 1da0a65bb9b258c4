// A port on 127.0.0.1 that nothing listens on: bound by a socket that does not listen, until verify.groovy.
import io.github.multiarch.testing.it.PushIt

String host = "127.0.0.1:${PushIt.unusedPort(basedir)}"
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${host}/it/down",
    'multiarch.insecureRegistries': host,
])
return true
