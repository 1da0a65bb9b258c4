// The push authenticated with the settings.xml credentials (decrypted by Maven's SettingsDecrypter), over TLS
// verified with the given CA; skopeo, with the CA and the credentials, reads back the exact index bytes; no
// form of the password is in build.log.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.kept(basedir, 'registry')
try {
  String host = registry.host()
  Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
  String log = ItChecks.buildLog(basedir)
  ItChecks.check(log.contains("multiarch: ${host}: credentials from settings.xml <server> '${host}'"),
      "build.log does not say the credentials came from settings.xml <server> '${host}'")
  assert built.metadata.push?.indexDigest == built.digest
  List<Map> summaries = PushIt.pushSummaries(log)
  assert summaries.size() == 1 && summaries[0].blobs == 3: summaries // two configs, one shared layer

  byte[] remote = PushIt.rawManifest(registry, 'it/secure', '1.0.0')
  ItChecks.check(Arrays.equals(remote, built.bytes), "the registry's index is not the local one:\n${new String(remote, 'UTF-8')}")
  // anonymous reads are refused: the registry really wanted the credentials
  def anonymous = io.github.multiarch.testing.Tools.skopeo('inspect', '--raw', "--cert-dir=${registry.certDirectory()}".toString(),
      '--no-creds', "docker://${host}/it/secure:1.0.0".toString())
  assert !anonymous.ok() && (anonymous.stderr().contains('401') || anonymous.stderr().toLowerCase().contains('unauthorized')):
      "the registry answered an anonymous read: ${anonymous.describe()}"

  PushIt.assertNoSecrets(log, [registry.password(), PushIt.kept(basedir, 'encryptedPassword')])
} finally {
  PushIt.closeAll(basedir)
}
return true
