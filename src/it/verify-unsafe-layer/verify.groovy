// The smoke run's unpacking refused both layers, naming the platform, the layer and the entry; the other checks
// passed (the layers are well-formed tars with the right digests); nothing was written outside the unpacked
// roots, and those were deleted.
import io.github.multiarch.testing.it.VerifyIt

String log = VerifyIt.assertVerifyFailed(basedir, [
    ~/\[ERROR\]   - linux\/amd64: smoke run: unpacking refused layer 1 \(sha256:[0-9a-f]{12}\): entry '\.\.\/\.\.\/\.\.\/\.\.\/escaped-by-dotdot' has a '\.\.' component and would be written outside the root/,
    ~/\[ERROR\]   - linux\/arm64\/v8: smoke run: unpacking refused layer 1 \(sha256:[0-9a-f]{12}\): entry 'out\/escaped-by-symlink': the path climbs above the image root through 'out'/,
    'failed verification with 2 failures:',
])
Map rows = VerifyIt.summary(log)
assert rows['linux/amd64'].take(4) == ['-', 'PASS', 'PASS', 'FAIL']
assert rows['linux/arm64/v8'].take(4) == ['-', 'PASS', 'PASS', 'FAIL']

// from target/multiarch-verify/smoke-*/rootfs, four levels up is this test's directory; look a few levels around
List<File> places = [basedir, new File(basedir, 'target'), new File(basedir, 'target/multiarch-verify'), basedir.parentFile]
List<File> escaped = places.collectMany { File dir -> ['escaped-by-dotdot', 'escaped-by-symlink'].collect { new File(dir, it) } }
    .findAll { it.exists() }
assert escaped.isEmpty(): "written outside the image root: ${escaped}"
File work = new File(basedir, 'target/multiarch-verify')
assert work.isDirectory() && work.list().length == 0: "left in ${work}: ${work.list()}"
return true
