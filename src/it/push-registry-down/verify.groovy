// The push fails at once with "cannot connect to 127.0.0.1:PORT" and the reason, without a stack trace or
// exception class names; the build before it succeeded.
import io.github.multiarch.testing.it.PushIt

try {
  Properties properties = new Properties()
  new File(basedir, 'push.properties').withInputStream { properties.load(it) }
  String host = properties.getProperty('multiarch.insecureRegistries')
  assert host ==~ /127\.0\.0\.1:\d+/
  String log = PushIt.assertFailedIn(basedir, 'push', ["cannot connect to ${host}", 'connection refused'])
  assert log.contains('multiarch: built '): 'the build before the push did not run'
  // a refused ping is not retried
  assert !log.contains('retrying'): 'the push retried a registry that refuses connections'
} finally {
  PushIt.closeAll(basedir)
}
return true
