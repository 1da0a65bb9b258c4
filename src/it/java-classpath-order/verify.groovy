// Each run's linux/amd64 image, unpacked by umoci and started with chroot the way its config says (entrypoint,
// PATH), prints what mvn exec:java printed in that run: "a" with which-a first, "b" with the two swapped.
// The classpath is in /app/jib-classpath-file in Maven's order; only the jvm-arg-files layer tells the runs apart.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

String log = new File(basedir, 'build.log').getText('UTF-8')
List<String> execSaid = log.readLines().findAll { it.startsWith('Which says ') }
assert execSaid == ['Which says a', 'Which says b']: "mvn exec:java printed ${execSaid} in the two runs"

Map<String, List<String>> layersByRun = [:]
[['a-first', 'which-a', 'which-b', execSaid[0]], ['b-first', 'which-b', 'which-a', execSaid[1]]].each {
  String run, String first, String second, String expected ->
  File layout = new File(basedir, "target/multiarch-${run}/oci")
  ItSupport.validateSchemas(layout, ociSchemasDir)
  Map config = ItChecks.json(ItSupport.skopeoConfig(layout, '1.0.0', 'linux/amd64'))
  List<String> entrypoint = config.config.Entrypoint
  assert entrypoint == ['java', '-Xshare:off', '-cp', '@/app/jib-classpath-file', 'com.example.app.Main']
  String path = config.config.Env.find { it.startsWith('PATH=') }
  assert path == 'PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin': "the base's PATH: ${config.config.Env}"

  File rootfs = ItSupport.unpack(layout, '1.0.0', 'linux/amd64', new File(basedir, "target/unpacked-${run}"))
  assert new File(rootfs, 'app/jib-classpath-file').text ==
      "/app/resources:/app/classes:/app/libs/${first}-1.0.jar:/app/libs/${second}-1.0.jar"
  assert new File(rootfs, 'app/jib-main-class-file').text == 'com.example.app.Main'

  // the entrypoint as a runtime starts it: the config's PATH, then the entrypoint, inside the image's root
  String said = ItSupport.runInRoot(rootfs, [path], entrypoint).trim()
  assert said == expected: "the ${run} image printed '${said}', mvn exec:java printed '${expected}'"
  println "${run}: the image and mvn exec:java both print '${said}'"

  Map index = ItChecks.json(ItChecks.blob(layout, ItSupport.tagDescriptor(layout, '1.0.0').digest))
  Map manifest = ItChecks.json(ItChecks.blob(layout, index.manifests[0].digest))
  layersByRun[run] = manifest.layers*.digest
}
// base (the JRE, umoci put it in 3 layers), dependencies, classes, jvm-arg-files: only the last differs
List<String> a = layersByRun['a-first']
List<String> b = layersByRun['b-first']
assert a.size() == b.size() && a.size() >= 3
assert a[0..-2] == b[0..-2]: 'the same jars and classes make the same layers, whatever their order'
assert a[-1] != b[-1]: 'the classpath changed, so its layer did'
return true
