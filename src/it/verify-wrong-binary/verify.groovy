// The build wrote its layout; verify failed naming the platform, the file, the architecture found and the one
// expected; the amd64 platform passed; the table shows where.
import io.github.multiarch.testing.it.VerifyIt

assert new File(basedir, 'target/multiarch/oci/index.json').isFile(): 'the build did not write its layout'
String log = VerifyIt.assertVerifyFailed(basedir, [
    '[ERROR]   - linux/arm64/v8: binaries: /hello is built for amd64 (ELF 64-bit LSB executable, Advanced Micro Devices X86-64), expected arm64 (linux/arm64/v8) (layer 0 of 1, sha256:',
    'failed verification with 1 failure:',
    '  - linux/arm64/v8: binaries: /hello is built for amd64',
])
Map rows = VerifyIt.summary(log)
assert rows['linux/amd64'].take(4) == ['PASS', 'PASS', 'PASS', '-']
assert rows['linux/arm64/v8'].take(4) == ['PASS', 'PASS', 'FAIL', '-']
assert rows['linux/arm64/v8'][5].contains('1 executable (1 for other CPUs)')
assert VerifyIt.result(log) == 'FAIL'
return true
