// The push got its tokens from the token service with the environment's credentials, one scope parameter per
// repository and action set, and the registry serves the exact index bytes.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
def tokens = PushIt.kept(basedir, 'tokens')
try {
  String host = registry.host()
  String log = ItChecks.buildLog(basedir)
  ItChecks.check(log.contains("multiarch: ${host}: credentials from the environment variables MULTIARCH_REGISTRY_USERNAME/MULTIARCH_REGISTRY_PASSWORD"),
      'build.log does not say the credentials came from the environment variables')
  PushIt.assertNoSecrets(log, ['it-token-secret-7f3c9a'])
  Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  assert built.metadata.push?.indexDigest == built.digest

  // what the plugin asked the token service (before skopeo asks it anything)
  List requests = tokens.requests()
  assert !requests.isEmpty(): 'the token service saw no request'
  String basic = 'Basic ' + 'it-token-user:it-token-secret-7f3c9a'.bytes.encodeBase64().toString()
  requests.each { r ->
    assert r.status() == 200: "the token service refused a request: ${r}"
    assert r.authorization() == basic: "a token request without the environment's credentials: ${r}"
    assert r.service() == io.github.multiarch.testing.TestRegistry.SERVICE
    assert !r.scopes().isEmpty(): "a token request without a scope: ${r}"
    r.scopes().each { assert it ==~ /repository:it\/token:[a-z,]+/: "a scope for another repository: ${it}" }
  }
  Set<String> scopes = requests.collectMany { it.scopes() } as Set
  assert scopes.any { it.split(':')[2].split(',').toList().containsAll(['pull', 'push']) }: "no push scope was asked: ${scopes}"
  println "token requests: ${requests.size()}, scopes ${scopes}"

  byte[] remote = PushIt.skopeo(['inspect', '--raw', '--tls-verify=false', '--creds=it-token-user:it-token-secret-7f3c9a',
                               "docker://${host}/it/token:1.0.0"])
  ItChecks.check(Arrays.equals(remote, built.bytes), "the registry's index is not the local one:\n${new String(remote, 'UTF-8')}")
} finally {
  PushIt.closeAll(basedir)
}
return true
