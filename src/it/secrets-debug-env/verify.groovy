// Pushed with the environment's credentials at debug level; neither the password nor the basic credential
// (base64 of user:password) is in build.log.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

try {
  def registry = PushIt.kept(basedir, 'registry')
  String log = ItChecks.buildLog(basedir)
  ItChecks.check(log.contains('BUILD SUCCESS'), 'the build failed')
  ItChecks.check(log.contains('[DEBUG]'), 'the build did not run with -X')
  ItChecks.check(log.contains("multiarch: ${registry.host()}: credentials from the environment variables"),
      'the push did not use the environment variables')
  assert PushIt.pushSummaries(log).size() == 1
  PushIt.assertNoSecrets(log, ['it-env-secret-5b2d9e71', 'it-env-user:it-env-secret-5b2d9e71'.bytes.encodeBase64().toString()])
  ItChecks.check(!(log =~ /(?i)authorization["']?\s*[:=]\s*["']?(basic|bearer)\s/).find(), 'build.log shows an Authorization value')
} finally {
  PushIt.closeAll(basedir)
}
return true
