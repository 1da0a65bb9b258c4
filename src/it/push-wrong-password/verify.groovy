// The refused credentials: the error names the registry, HTTP 401 and the settings.xml server the credentials
// came from; no stack trace; neither the wrong nor the right password (nor its encrypted form) in build.log;
// and nothing was tagged.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  String log = PushIt.assertFailedIn(basedir, 'push', [
      host,
      'HTTP 401',
      "settings.xml <server> '${host}'",
  ])
  // the build itself succeeded and wrote the layout: only the push failed
  assert new File(basedir, 'target/multiarch/metadata.json').isFile()
  assert ItChecks.json(new File(basedir, 'target/multiarch/metadata.json')).push == null
  assert PushIt.pushSummaries(log).isEmpty()
  PushIt.assertNoSecrets(log, [PushIt.kept(basedir, 'wrongPassword'), PushIt.kept(basedir, 'encryptedPassword'),
                             registry.password()])
  // the registry (asked with the right credentials) has no such tag
  PushIt.assertNoTag(registry, 'it/refused', '1.0.0')
} finally {
  PushIt.closeAll(basedir)
}
return true
