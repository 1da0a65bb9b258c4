// verify read the layout this build made (and said so), not the registry image named by -Dmultiarch.image
import io.github.multiarch.testing.it.ItChecks

String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('BUILD SUCCESS')
String layout = new File(basedir, 'target/multiarch/oci').path
ItChecks.check(log.contains("[INFO] multiarch: verifying OCI layout ${layout}, built by multiarch:build in this build"),
    "verify did not say it read the layout just built:\n${log}")
ItChecks.check(!log.contains('127.0.0.1:1'.concat(': ')) && !log.contains('cannot connect'),
    "verify contacted the registry:\n${log}")
return true
