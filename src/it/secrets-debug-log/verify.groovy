// The three pushes worked, each with the credentials of its own source, at debug level (-X); and no password,
// encrypted password, basic credential, token or Authorization value is anywhere in build.log.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def support = loader.loadClass('ItSupport')
def push = loader.loadClass('PushIt')

try {
  def tls = push.kept(basedir, 'tls')
  def bearer = push.kept(basedir, 'bearer')
  def podman = push.kept(basedir, 'podman')
  def tokens = push.kept(basedir, 'tokens')
  String log = push.buildLog(basedir)
  support.check(log.contains('BUILD SUCCESS'), 'the build failed')
  support.check(log.contains('[DEBUG]'), 'the build did not run with -X')
  support.check(!log.contains('maven-resources-plugin'), 'the run went through the lifecycle')
  support.check(log.contains("multiarch: ${tls.host()}: credentials from settings.xml <server> '${tls.host()}'"),
      'the TLS push did not use the settings.xml server')
  support.check(log.contains("multiarch: ${bearer.host()}: credentials from Docker config "),
      'the bearer push did not use the Docker config')
  support.check(log.contains("multiarch: ${podman.host()}: credentials from podman auth file "),
      'the podman push did not use the podman auth file')
  assert push.pushSummaries(log).size() == 3

  String bearerPassword = push.kept(basedir, 'bearerPassword')
  List<String> issued = tokens.issuedTokens()
  assert !issued.isEmpty(): 'the token service issued no token'
  List<String> secrets = [tls.password(), push.kept(basedir, 'encryptedPassword'), bearerPassword, podman.password()]
  [['settings-user', tls.password()], ['bearer-user', bearerPassword], ['podman-user', podman.password()]].each { u, p ->
    secrets << "${u}:${p}".toString().bytes.encodeBase64().toString()
  }
  issued.each { token ->
    secrets << token
    // a JWT's signature alone is a secret too
    secrets << token.substring(token.lastIndexOf('.') + 1)
  }
  push.assertNoSecrets(log, secrets)
  support.check(!(log =~ /(?i)authorization["']?\s*[:=]\s*["']?(basic|bearer)\s/).find(), 'build.log shows an Authorization value')
  println "build.log: ${log.length()} characters at debug level, ${secrets.size()} secrets searched, none found"
} finally {
  push.closeAll(basedir)
}
return true
