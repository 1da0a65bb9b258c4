// What rehearse.sh left, checked again from outside: its steps all passed; the staged release is complete, signed
// by the throwaway key, and a byte changed in it breaks the signature; build B matched build A on every artifact;
// the plugin descriptor and the SBOM say what a user gets; the user's local repository never saw the version.
import java.util.zip.ZipFile

import io.github.multiarch.testing.it.ItChecks

File work = new File(basedir, 'work')
String log = new File(basedir, 'rehearsal.log').getText('UTF-8')
['throwaway key', 'staged into', 'jar, pom, sources, javadoc and SBOM (json, xml) staged', 'gpg --verify:', 'central-bundle.zip holds',
 'the deployed POM has', 'no log holds the passphrase', 'build B is byte-identical', "build B's SBOM (json, xml) is build A's",
 'a fresh consumer resolved'].each {
  ItChecks.check(log.contains("rehearsal: ok: ${it}"), "rehearsal.log lacks the step '${it}'")
}
ItChecks.check(log.contains('rehearsal: PASSED'), 'rehearsal.log does not end in PASSED')

String version = (log =~ /rehearsing multiarch-maven-plugin (\S+) from/)[0][1]
assert version.endsWith('-rehearsal')
String fingerprint = (log =~ /throwaway key ([0-9A-F]{40})/)[0][1]
File staged = new File(work, "build-a/target/central-staging/io/github/multiarch/multiarch-maven-plugin/${version}")
String base = "multiarch-maven-plugin-${version}"
List<String> required = ["${base}.pom", "${base}.jar", "${base}-sources.jar", "${base}-javadoc.jar",
                         "${base}-cyclonedx.json", "${base}-cyclonedx.xml"]*.toString()
Set<String> present = staged.list() as Set
required.each { String name ->
  ['', '.asc', '.md5', '.sha1'].each { ItChecks.check(present.contains(name + it), "not staged: ${name}${it}") }
}

// gpg: a good signature by the throwaway key, and a bad one once a byte of the jar changes
Map gpgVerify(File work, File signature, File signed) {
  ProcessBuilder pb = new ProcessBuilder('gpg', '--batch', '--status-fd', '1', '--verify', signature.path, signed.path)
  pb.environment().put('GNUPGHOME', new File(work, 'gnupg').path)
  pb.redirectErrorStream(true)
  Process p = pb.start()
  String out = p.inputStream.getText('UTF-8')
  return [exit: p.waitFor(), out: out]
}
File jar = new File(staged, "${base}.jar")
Map good = gpgVerify(work, new File(staged, "${base}.jar.asc"), jar)
assert good.exit == 0 && good.out.contains("[GNUPG:] VALIDSIG ${fingerprint} ")
File tampered = new File(basedir, 'tampered.jar')
byte[] bytes = jar.bytes
int middle = bytes.length.intdiv(2)
bytes[middle] = (byte) (bytes[middle] ^ 1)
tampered.bytes = bytes
Map bad = gpgVerify(work, new File(staged, "${base}.jar.asc"), tampered)
ItChecks.check(bad.exit != 0 && bad.out.contains('[GNUPG:] BADSIG'), "gpg accepted a tampered jar: ${bad.out}")

// artifact:compare: jar, pom, sources and javadoc identical; the SBOMs identical but for metadata.tools (the hashes
// of cyclonedx-maven-plugin's jar, written only when that jar is in the head local repository)
Properties compare = new Properties()
new File(work, "build-b/target/${base}.buildcompare").withInputStream { compare.load(it) }
assert compare.ko == '0'
Set<String> compared = compare.okFiles.replace('"', '').split(' ') as Set
required.findAll { !it.contains('-cyclonedx.') }.each {
  ItChecks.check(compared.contains(it), "artifact:compare did not compare ${it}: ${compare}")
}
Map sbomA = ItChecks.json(new File(staged, "${base}-cyclonedx.json"))
Map sbomB = ItChecks.json(new File(work, 'build-b/target/bom.json'))
assert sbomA.metadata.remove('tools') != null
sbomB.metadata.remove('tools')
ItChecks.check(sbomA == sbomB, 'the SBOMs of builds A and B differ beyond metadata.tools')
assert sbomA.components.size() > 10

// the plugin descriptor in the released jar: the rehearsed version, and what it needs to run
new ZipFile(jar).withCloseable { ZipFile zip ->
  String descriptor = zip.getInputStream(zip.getEntry('META-INF/maven/plugin.xml')).getText('UTF-8')
  assert descriptor.contains("<version>${version}</version>")
  assert descriptor.contains('<goalPrefix>multiarch</goalPrefix>')
  assert descriptor.contains('<requiredJavaVersion>17</requiredJavaVersion>')
  assert descriptor.contains('<requiredMavenVersion>3.6.3</requiredMavenVersion>')
}

// the SBOM: the plugin itself and what it brings, not the Maven that runs it
Map sbom = ItChecks.json(new File(staged, "${base}-cyclonedx.json"))
assert sbom.bomFormat == 'CycloneDX'
assert sbom.metadata.component.purl == "pkg:maven/io.github.multiarch/multiarch-maven-plugin@${version}?type=maven-plugin".toString()
Set<String> components = sbom.components.collect { "${it.group}:${it.name}".toString() } as Set
['com.google.cloud.tools:jib-core', 'com.fasterxml.jackson.core:jackson-databind', 'org.apache.commons:commons-compress'].each {
  ItChecks.check(components.contains(it), "the SBOM lacks ${it}")
}
ItChecks.check(!components.contains('org.apache.maven:maven-core'), 'the SBOM lists maven-core (provided by the user\'s Maven)')

// the consumer's copy came from the staged repository; the user's repository never held the version
File resolved = new File(work, "consumer-repo/io/github/multiarch/multiarch-maven-plugin/${version}")
ItChecks.check(new File(resolved, '_remote.repositories').text.contains("${base}.jar>rehearsal-staging="),
    'the consumer did not take the plugin from the staged repository')
ItChecks.check(!new File(outerLocalRepository, "io/github/multiarch/multiarch-maven-plugin/${version}").exists(),
    "the user's local repository holds ${version}")
return true
