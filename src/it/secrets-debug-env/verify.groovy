// Pushed with the environment's credentials at debug level; neither the password nor the basic credential
// (base64 of user:password) is in build.log.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def push = loader.loadClass('PushIt')

try {
  def registry = push.kept(basedir, 'registry')
  String log = push.buildLog(basedir)
  support.check(log.contains('BUILD SUCCESS'), 'the build failed')
  support.check(log.contains('[DEBUG]'), 'the build did not run with -X')
  support.check(log.contains("multiarch: ${registry.host()}: credentials from the environment variables"),
      'the push did not use the environment variables')
  assert push.pushSummaries(log).size() == 1
  push.assertNoSecrets(log, ['it-env-secret-5b2d9e71', 'it-env-user:it-env-secret-5b2d9e71'.bytes.encodeBase64().toString()])
  support.check(!(log =~ /(?i)authorization["']?\s*[:=]\s*["']?(basic|bearer)\s/).find(), 'build.log shows an Authorization value')
} finally {
  push.closeAll(basedir)
}
return true
