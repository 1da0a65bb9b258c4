// The push fails at once with "cannot connect to 127.0.0.1:PORT" and the reason, without a stack trace or
// exception class names; the build before it succeeded.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

try {
  Properties properties = new Properties()
  new File(basedir, 'push.properties').withInputStream { properties.load(it) }
  String host = properties.getProperty('multiarch.insecureRegistries')
  assert host ==~ /127\.0\.0\.1:\d+/
  String log = push.assertFailedIn(basedir, 'push', ["cannot connect to ${host}", 'connection refused'])
  assert log.contains('multiarch: built '): 'the build before the push did not run'
  // a refused ping is not retried
  assert !log.contains('retrying'): 'the push retried a registry that refuses connections'
} finally {
  push.closeAll(basedir)
}
return true
