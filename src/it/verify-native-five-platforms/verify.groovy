// mvn verify passed every check for every platform: the summary table has one PASS row per platform (required,
// consistency, binaries, smoke run), each smoke run printed its own platform, the emulator used for each is the
// right one, and the goal ran in the verify phase after build.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.VerifyIt

String log = ItChecks.buildLog(basedir)
assert log.contains('BUILD SUCCESS')
ItChecks.check(log.indexOf(':build (default)') < log.indexOf(':verify (default)'), "verify did not run after build:\n${log}")

Map rows = VerifyIt.summary(log)
Map expected = [
    'linux/amd64'   : [run: 'native', says: 'linux/amd64'],
    'linux/arm64/v8': [run: 'qemu-aarch64-static', says: 'linux/arm64'],
    'linux/arm/v7'  : [run: 'qemu-arm-static', says: 'linux/arm/v7'],
    'linux/ppc64le' : [run: 'qemu-ppc64le-static', says: 'linux/ppc64le'],
    'linux/s390x'   : [run: 'qemu-s390x-static', says: 'linux/s390x'],
]
assert rows.keySet() == (expected.keySet() + ['index']) as Set: "rows: ${rows.keySet()}"
expected.each { String platform, Map e ->
  List row = rows[platform]
  ItChecks.check(row.take(4) == ['PASS', 'PASS', 'PASS', 'PASS'], "${platform}: ${row}")
  String details = row[5]
  String arch = platform.split('/')[1]
  ItChecks.check(details.contains("1 executable for ${arch}"), "${platform}: ${details}")
  ItChecks.check(details.contains("smoke run exited with 0 after") && details.contains("\"hello from ${e.says}\""),
      "${platform} did not say hello from ${e.says}: ${details}")
  ItChecks.check(log.contains("multiarch: smoke run of ${platform} (${e.run}): /hello"), "${platform} not run ${e.run}")
}
assert rows['index'].take(2) == ['PASS', 'PASS']
assert rows['index'][5].contains('all 5 required platforms present')
assert VerifyIt.result(log) == 'PASS'
assert !log.contains('[WARNING] multiarch:')

// the unpacked roots are gone
File work = new File(basedir, 'target/multiarch-verify')
assert work.isDirectory() && work.list().length == 0: "left in ${work}: ${work.list()}"
return true
