// The three pushes worked, each with the credentials of its own source, at debug level (-X); and no password,
// encrypted password, basic credential, token or Authorization value is anywhere in build.log.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

try {
  def tls = PushIt.kept(basedir, 'tls')
  def bearer = PushIt.kept(basedir, 'bearer')
  def podman = PushIt.kept(basedir, 'podman')
  def tokens = PushIt.kept(basedir, 'tokens')
  String log = ItChecks.buildLog(basedir)
  ItChecks.check(log.contains('BUILD SUCCESS'), 'the build failed')
  ItChecks.check(log.contains('[DEBUG]'), 'the build did not run with -X')
  ItChecks.check(!log.contains('maven-resources-plugin'), 'the run went through the lifecycle')
  ItChecks.check(log.contains("multiarch: ${tls.host()}: credentials from settings.xml <server> '${tls.host()}'"),
      'the TLS push did not use the settings.xml server')
  ItChecks.check(log.contains("multiarch: ${bearer.host()}: credentials from Docker config "),
      'the bearer push did not use the Docker config')
  ItChecks.check(log.contains("multiarch: ${podman.host()}: credentials from podman auth file "),
      'the podman push did not use the podman auth file')
  assert PushIt.pushSummaries(log).size() == 3

  String bearerPassword = PushIt.kept(basedir, 'bearerPassword')
  List<String> issued = tokens.issuedTokens()
  assert !issued.isEmpty(): 'the token service issued no token'
  List<String> secrets = [tls.password(), PushIt.kept(basedir, 'encryptedPassword'), bearerPassword, podman.password()]
  [['settings-user', tls.password()], ['bearer-user', bearerPassword], ['podman-user', podman.password()]].each { u, p ->
    secrets << "${u}:${p}".toString().bytes.encodeBase64().toString()
  }
  issued.each { token ->
    secrets << token
    // a JWT's signature alone is a secret too
    secrets << token.substring(token.lastIndexOf('.') + 1)
  }
  PushIt.assertNoSecrets(log, secrets)
  ItChecks.check(!(log =~ /(?i)authorization["']?\s*[:=]\s*["']?(basic|bearer)\s/).find(), 'build.log shows an Authorization value')
  println "build.log: ${log.length()} characters at debug level, ${secrets.size()} secrets searched, none found"
} finally {
  PushIt.closeAll(basedir)
}
return true
