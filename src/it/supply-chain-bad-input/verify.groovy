// Each run failed in its goal with an error naming the parameter as the plugin prints it and saying what would be
// valid; the four at the default log level show no stack trace; the -X run shows neither the wrong password nor
// the key's real one; and the registry holds nothing but the source setup.groovy pushed.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String log = ItChecks.buildLog(basedir)
  List<String> runs = IndexIt.runs(log)
  assert runs.size() == 5: "expected the logs of five runs in build.log, found ${runs.size()}"
  String key = '<signingKey> (-Dmultiarch.signingKey)'
  String valid = 'expected an ECDSA P-256 private key in PEM'
  File keys = new File(basedir, 'keys')

  IndexIt.assertRunFailed(runs[0], 'push', [key, "signingKey ${new File(keys, 'missing.pem')} does not exist", valid])
  IndexIt.assertRunFailed(runs[1], 'create', [key, "signingKey ${new File(keys, 'not-pem.txt')} is not a PEM file",
      valid])
  IndexIt.assertRunFailed(runs[2], 'create', [key, "signingKey ${new File(keys, 'rsa.pem')} is an RSA key",
      'only an ECDSA P-256 private key in PEM'])

  // -X: Maven prints the failure's stack trace, so only the [ERROR] lines are checked; no password anywhere
  ItChecks.check(runs[3].contains('[DEBUG]'), 'the wrong-password run did not run with -X')
  ItChecks.assertErrorsIn(runs[3], 'push', [key, "could not decrypt signingKey ${new File(keys, 'signing.pem')}",
      'wrong password', 'password from MULTIARCH_SIGNING_KEY_PASSWORD'])
  PushIt.assertNoSecrets(log, ['wrong-pw-7c1e9a4b52d8', PushIt.kept(basedir, 'password')])

  IndexIt.assertRunFailed(runs[4], 'build', ['<sbomSource> (-Dmultiarch.sbomSource)',
      "the BOM ${new File(basedir, 'not-a-bom.json')} is not valid JSON", 'valid: a CycloneDX JSON BOM'])

  runs.each { ItChecks.check(!it.contains('multiarch: created') && !(it =~ /\[INFO\]   uploaded /),
      "a refused run says it pushed something:\n${it}") }
  // nothing reached the registry: no repository but the source
  assert SupplyChainIt.catalogue(registry) == ['it/parts']
  assert IndexIt.tags(registry, 'it/parts') == ['amd64']
} finally {
  PushIt.closeAll(basedir)
}
return true
