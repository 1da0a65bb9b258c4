// verify read the image from the registry (tag: the build's, 1.0.0), not the layout, and every check passed on
// what the registry serves, the smoke runs included; the downloaded blobs were deleted. push read the layout from
// the build's configured outputDirectory (target/images), with no layout parameter.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.VerifyIt

try {
  def registry = PushIt.kept(basedir, 'registry')
  String log = ItChecks.buildLog(basedir)
  assert log.contains('BUILD SUCCESS')
  String reference = "${registry.host()}/it/verify:1.0.0"
  ItChecks.check(log.contains("[INFO] multiarch: verifying ${reference}"), "verify did not read ${reference}:\n${log}")
  File images = new File(basedir, 'target/images')
  ItChecks.check(log.contains("[INFO] multiarch: pushing OCI layout ${new File(images, 'oci').path}, built by "
      + "multiarch:build in this build"), "push did not read the layout in ${images}:\n${log}")
  assert !new File(basedir, 'target/multiarch').exists()
  String indexDigest = new File(images, 'index.digest').text.trim()
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
