// A port on 127.0.0.1 that nothing listens on: bound by a socket that does not listen, until verify.groovy.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

String host = "127.0.0.1:${push.unusedPort(basedir)}"
push.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${host}/it/down",
    'multiarch.insecureRegistries': host,
])
return true
