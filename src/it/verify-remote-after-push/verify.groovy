// verify read the image from the registry (tag: the build's, 1.0.0), not the layout, and every check passed on
// what the registry serves, the smoke runs included; the downloaded blobs were deleted.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.VerifyIt

try {
  def registry = PushIt.kept(basedir, 'registry')
  String log = ItChecks.buildLog(basedir)
  assert log.contains('BUILD SUCCESS')
  String reference = "${registry.host()}/it/verify:1.0.0"
  ItChecks.check(log.contains("[INFO] multiarch: verifying ${reference}"), "verify did not read ${reference}:\n${log}")
  String indexDigest = new File(basedir, 'target/multiarch/index.digest').text.trim()
  ItChecks.check(log.contains("[INFO] multiarch: verified ${reference}: OCI image index ${indexDigest}"),
      "verify did not verify the pushed index ${indexDigest}")
  Map rows = VerifyIt.summary(log)
  assert rows['linux/amd64'].take(4) == ['PASS', 'PASS', 'PASS', 'PASS']
  assert rows['linux/arm64/v8'].take(4) == ['PASS', 'PASS', 'PASS', 'PASS']
  assert rows['linux/arm64/v8'][5].contains('"hello from linux/arm64"')
  assert VerifyIt.result(log) == 'PASS'
  File work = new File(basedir, 'target/multiarch-verify')
  assert work.list().every { it == 'smoke' }: "left in ${work}: ${work.list()}"
} finally {
  PushIt.closeAll(basedir)
}
return true
