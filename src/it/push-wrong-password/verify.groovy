// The refused credentials: the error names the registry, HTTP 401 and the settings.xml server the credentials
// came from; no stack trace; neither the wrong nor the right password (nor its encrypted form) in build.log;
// and nothing was tagged.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')

def registry = push.kept(basedir, 'registry')
try {
  String host = registry.host()
  String log = push.assertFailedIn(basedir, 'push', [
      host,
      'HTTP 401',
      "settings.xml <server> '${host}'",
  ])
  // the build itself succeeded and wrote the layout: only the push failed
  assert new File(basedir, 'target/multiarch/metadata.json').isFile()
  assert push.json(new File(basedir, 'target/multiarch/metadata.json')).push == null
  assert push.pushSummaries(log).isEmpty()
  push.assertNoSecrets(log, [push.kept(basedir, 'wrongPassword'), push.kept(basedir, 'encryptedPassword'),
                             registry.password()])
  // the registry (asked with the right credentials) has no such tag
  push.assertNoTag(registry, 'it/refused', '1.0.0')
} finally {
  push.closeAll(basedir)
}
return true
