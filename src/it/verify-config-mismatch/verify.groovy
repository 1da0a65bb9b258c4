// verify failed with both findings of the arm64 entry, reported together: its config says another platform, and
// its binary is for another CPU; the amd64 entry passed.
import io.github.multiarch.testing.it.VerifyIt

String log = VerifyIt.assertVerifyFailed(basedir, [
    ~/\[ERROR\]   - linux\/arm64\/v8: consistency: the index entry says linux\/arm64\/v8, its config sha256:[0-9a-f]{12} says linux\/amd64 \(a node pulling linux\/arm64\/v8 would get an image for linux\/amd64\)/,
    '[ERROR]   - linux/arm64/v8: binaries: /hello is built for amd64',
    'failed verification with 2 failures:',
])
assert log.contains('[INFO] multiarch: verifying OCI layout ' + new File(basedir, 'handmade').path)
Map rows = VerifyIt.summary(log)
assert rows['linux/amd64'].take(4) == ['-', 'PASS', 'PASS', '-']
assert rows['linux/arm64/v8'].take(4) == ['-', 'FAIL', 'FAIL', '-']
assert rows['index'][5].contains('no required platforms given: 2 platforms, all well-formed')
return true
