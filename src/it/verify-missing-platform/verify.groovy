// verify failed listing the required platforms the index lacks and what it has; linux/aarch64 was matched to the
// arm64/v8 entry the way runtimes match it.
import io.github.multiarch.testing.it.VerifyIt

String log = VerifyIt.assertVerifyFailed(basedir, [
    '[ERROR]   - index: required platforms: missing required platforms linux/s390x, linux/arm/v7; the index has linux/amd64, linux/arm64/v8 (required: <requiredPlatforms>)',
    'failed verification with 1 failure:',
])
Map rows = VerifyIt.summary(log)
assert rows['linux/amd64'][0] == 'PASS'
assert rows['linux/arm64/v8'][0] == 'PASS': 'linux/aarch64 is linux/arm64/v8'
assert rows['linux/s390x'].take(4) == ['FAIL', '-', '-', '-']
assert rows['linux/s390x'][5] == 'missing from the index'
assert rows['linux/arm/v7'][0] == 'FAIL'
assert rows['index'][0] == 'FAIL'
return true
