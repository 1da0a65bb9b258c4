// Runs rehearse.sh on the plugin's own sources with the Maven of this build, its work under work/ and its output in
// rehearsal.log. The script fails on the first check that does not hold; verify.groovy then checks its results
// again from outside, and that a tampered artifact would be caught.
File work = new File(basedir, 'work')
File log = new File(basedir, 'rehearsal.log')
ProcessBuilder process = new ProcessBuilder('bash', new File(basedir, 'rehearse.sh').path)
    .directory(basedir)
    .redirectErrorStream(true)
    .redirectOutput(log)
process.environment().putAll([
    REHEARSAL_WORK      : work.path,
    REHEARSAL_PROJECT   : projectDir,
    REHEARSAL_MAVEN     : new File(mavenHome, 'bin/mvn').path,
    REHEARSAL_LOCAL_REPO: outerLocalRepository,
])
int exit = process.start().waitFor()
if (exit != 0) {
  List<String> lines = log.readLines('UTF-8')
  throw new IllegalStateException("rehearse.sh failed (exit ${exit}); last lines of ${log}:\n"
      + lines.subList(Math.max(0, lines.size() - 40), lines.size()).join('\n'))
}
return true
