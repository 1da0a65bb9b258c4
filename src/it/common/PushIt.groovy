// Helpers of the push-* integration tests (src/it/push-*): a registry per test, the properties file that hands
// its address to the Maven run, Maven settings with an encrypted password, skopeo against the registry, and
// checks of build.log. Not an integration test itself (no pom.xml here). Load it with ItSupport:
//   def loader = new GroovyClassLoader(getClass().classLoader)
//   loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
//   def support = loader.loadClass('ItSupport')
//   def push = loader.loadClass('PushIt')
//
// setup.groovy and verify.groovy run in the JVM of the outer Maven, in class loaders of their own: what
// setup starts (TestRegistry, TokenServer, StubProxy) is handed to verify through the JVM's system properties,
// under a key of the test's directory. verify.groovy closes it; when the build fails before verify runs, the
// registry's own JVM-exit hook stops the process.

import groovy.json.JsonSlurper
import io.github.multiarch.testing.TestRegistry
import io.github.multiarch.testing.Tools

import java.security.MessageDigest

class PushIt {
  static final String OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

  // ------------------------------------------------------------------------------ things setup hands on

  private static String key(File basedir, String name) {
    return "multiarch.it:${basedir.canonicalPath}:${name}"
  }

  /** Keeps {@code value} (a registry, token server, stub) for verify.groovy. */
  static <T> T keep(File basedir, String name, T value) {
    System.getProperties().put(key(basedir, name), value)
    List<String> names = (System.getProperties().get(key(basedir, '*')) ?: []) as List<String>
    System.getProperties().put(key(basedir, '*'), names + [name])
    return value
  }

  /** What setup.groovy kept under {@code name}; fails when setup did not run or kept nothing. */
  static Object kept(File basedir, String name) {
    Object value = System.getProperties().get(key(basedir, name))
    assert value != null: "setup.groovy kept no '${name}' for ${basedir}"
    return value
  }

  /** Closes everything setup kept for this test, last first; an error of one close does not stop the others. */
  static void closeAll(File basedir) {
    List<String> names = (System.getProperties().remove(key(basedir, '*')) ?: []) as List<String>
    for (String name : names.reverse()) {
      Object value = System.getProperties().remove(key(basedir, name))
      try {
        if (value instanceof AutoCloseable) {
          value.close()
        }
      } catch (Exception e) {
        println "closing ${name}: ${e}"
      }
    }
  }

  /** Starts a registry for this test ({@code configure} gets the builder) and keeps it as 'registry'. */
  static TestRegistry startRegistry(File basedir, Closure configure = null) {
    def builder = TestRegistry.builder('it-' + basedir.name)
    if (configure != null) {
      builder = configure(builder)
    }
    TestRegistry registry = builder.start()
    keep(basedir, 'registry', registry)
    println "registry ${registry.baseUrl()} (files under ${TestRegistry.targetDirectory()}/test-registries)"
    return registry
  }

  /**
   * A port on 127.0.0.1 that nobody listens on, kept so until closeAll: a socket bound to it but not
   * listening (connections are refused, and no other program can take the port meanwhile).
   */
  static int unusedPort(File basedir) {
    Socket socket = new Socket()
    socket.bind(new InetSocketAddress(InetAddress.getByName('127.0.0.1'), 0))
    keep(basedir, 'reservedPort', socket)
    return socket.localPort
  }

  /**
   * Writes user properties for the Maven run (invoker.userPropertiesFile names the file; the invoker reads it
   * after this pre-build hook, as -D options).
   */
  static void writeProperties(File basedir, String fileName, Map<String, Object> values) {
    Properties properties = new Properties()
    values.each { k, v -> properties.setProperty(k, v.toString()) }
    new File(basedir, fileName).withWriter('ISO-8859-1') { properties.store(it, 'written by setup.groovy') }
  }

  // ------------------------------------------------------------------------- settings with an encryption

  /** plexus-cipher of the Maven that runs the tests, the cipher Maven's SettingsDecrypter uses. */
  private static Object cipher() {
    String home = System.getProperty('maven.home')
    assert home != null: 'maven.home is not set in the JVM that runs the hook scripts'
    File[] jars = new File(home, 'lib').listFiles({ File f -> f.name.startsWith('plexus-cipher') && f.name.endsWith('.jar') } as FileFilter)
    assert jars != null && jars.length > 0: "no plexus-cipher jar in ${home}/lib"
    ClassLoader loader = new URLClassLoader(jars.collect { it.toURI().toURL() } as URL[], ClassLoader.systemClassLoader)
    return loader.loadClass('org.sonatype.plexus.components.cipher.DefaultPlexusCipher').getConstructor().newInstance()
  }

  /**
   * Writes {@code settings-security.xml} (an encrypted master password, as {@code mvn --encrypt-master-password}
   * makes it) and a settings file for the invoker: the common src/it/settings.xml plus one {@code <server>} whose
   * password is encrypted with that master password (as {@code mvn --encrypt-password}). Returns the encrypted
   * password and the two files. The settings file is named after the test: the invoker interpolates it into
   * target/it/interpolated-NAME, shared by every test. invoker.properties names it as
   * {@code ${project.build.directory}/it/TEST/settings-TEST.xml} (a relative path would be taken from the
   * directory Maven was started in).
   */
  static Map writeEncryptedSettings(File basedir, String serverId, String username, String password) {
    Object cipher = cipher()
    String master = 'it-master-' + UUID.randomUUID()
    // Maven encrypts the master password with the fixed pass phrase "settings.security"
    String encryptedMaster = cipher.encryptAndDecorate(master, 'settings.security')
    String encryptedPassword = cipher.encryptAndDecorate(password, master)
    assert encryptedPassword.startsWith('{') && encryptedPassword != "{${password}}"
    assert cipher.decryptDecorated(encryptedPassword, cipher.decryptDecorated(encryptedMaster, 'settings.security')) == password

    File security = new File(basedir, 'settings-security.xml')
    security.setText("<settingsSecurity>\n  <master>${encryptedMaster}</master>\n</settingsSecurity>\n", 'UTF-8')
    String common = new File(basedir, '../../../src/it/settings.xml').canonicalFile.getText('UTF-8')
    assert common.contains('</settings>')
    String server = """  <servers>
    <server>
      <id>${serverId}</id>
      <username>${username}</username>
      <password>${encryptedPassword}</password>
    </server>
  </servers>
</settings>"""
    File settings = new File(basedir, "settings-${basedir.name}.xml")
    settings.setText(common.replace('</settings>', server), 'UTF-8')
    return [settings: settings, security: security, encryptedPassword: encryptedPassword]
  }

  // ---------------------------------------------------------------------------------------------- skopeo

  /** Runs skopeo (with a permissive policy of the tests' own) and fails unless it exits 0; returns stdout. */
  static byte[] skopeo(List<Object> arguments) {
    return Tools.skopeo(arguments.collect { it.toString() } as String[]).check().stdoutBytes()
  }

  /** The exact bytes the registry serves for {@code repository:reference}. */
  static byte[] rawManifest(TestRegistry registry, String repository, String reference) {
    return skopeo(['inspect', '--raw'] + registry.skopeoOptions('') + ["docker://${registry.host()}/${repository}:${reference}"])
  }

  /** Fails unless the registry answers that {@code repository:tag} does not exist. */
  static void assertNoTag(TestRegistry registry, String repository, String tag) {
    def result = Tools.skopeo((['inspect', '--raw'] + registry.skopeoOptions('')
        + ["docker://${registry.host()}/${repository}:${tag}".toString()]) as String[])
    assert !result.ok(): "${repository}:${tag} exists in the registry: ${result.stdout()}"
    assert result.stderr().contains('manifest unknown') || result.stderr().contains('name unknown'):
        "skopeo failed for another reason than a missing tag: ${result.stderr()}"
  }

  // ------------------------------------------------------------------------------------------- build.log

  static String buildLog(File basedir) {
    File file = new File(basedir, 'build.log')
    assert file.isFile(): "no build.log in ${basedir}"
    return file.getText('UTF-8')
  }

  /**
   * The push summaries of build.log, each as [bytes: '0 B', blobs: 0, present: 10, mounted: 0], in the
   * order of the runs.
   */
  static List<Map> pushSummaries(String log) {
    def matcher = log =~ /(?m)^\[INFO\]   uploaded (.+?) in (\d+) blobs, (\d+) already there, (\d+) mounted$/
    List<Map> found = []
    while (matcher.find()) {
      found << [bytes: matcher.group(1), blobs: matcher.group(2) as int, present: matcher.group(3) as int,
                mounted: matcher.group(4) as int]
    }
    return found
  }

  /**
   * For a run that had to fail in {@code goal}: the build failed there, every expected text is in an [ERROR]
   * line, and there is no stack trace at the default log level.
   */
  static String assertFailedIn(File basedir, String goal, List<Object> expected) {
    String log = buildLog(basedir)
    List<String> errors = log.readLines().findAll { it.startsWith('[ERROR]') }
    String errorText = errors.join('\n')
    String shown = "\n--- [ERROR] lines of build.log:\n${errorText}"
    check(log.contains('BUILD FAILURE'), "the build did not fail${shown}")
    check((log =~ /Failed to execute goal io\.github\.multiarch:multiarch-maven-plugin:[^ ]+:${goal} /).find(),
        "the build failed, but not in multiarch:${goal}${shown}")
    for (Object text : expected) {
      if (text instanceof java.util.regex.Pattern) {
        check(text.matcher(errorText).find(), "no [ERROR] line of build.log matches /${text}/${shown}")
      } else {
        check(errorText.contains(text.toString()), "no [ERROR] line of build.log says '${text}'${shown}")
      }
    }
    assertNoStackTrace(log)
    return log
  }

  static void assertNoStackTrace(String log) {
    List<String> traces = log.readLines().findAll { it.trim() ==~ /at [a-zA-Z_$][\w$.]*\(.*\)/ }
    check(traces.isEmpty(), "build.log shows a stack trace at the default log level:\n${traces.take(10).join('\n')}")
    List<String> exceptions = log.readLines().findAll { it.startsWith('[ERROR]') && (it.contains('Exception:') || it.contains('Caused by')) }
    check(exceptions.isEmpty(), "build.log shows an exception at the default log level:\n${exceptions.join('\n')}")
  }

  /** Fails when any of the secrets appears in build.log. */
  static void assertNoSecrets(String log, List<String> secrets) {
    for (String secret : secrets) {
      assert secret != null && secret.length() >= 6
      check(!log.contains(secret), "build.log shows a secret (${secret.length()} characters starting with '${secret.take(2)}')")
    }
  }

  // --------------------------------------------------------------------------------------------- helpers

  static void check(boolean ok, Object message) {
    if (!ok) {
      throw new AssertionError(message.toString())
    }
  }

  static Object json(byte[] bytes) {
    return new JsonSlurper().parse(bytes)
  }

  static Object json(File file) {
    assert file.isFile(): "missing ${file}"
    return json(file.bytes)
  }

  static String sha256(byte[] bytes) {
    return 'sha256:' + MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
  }

  /** The bytes of a blob of a local layout, checked against its digest. */
  static byte[] blob(File layout, String digest) {
    File f = new File(layout, 'blobs/' + digest.replace(':', '/'))
    assert f.isFile(): "blob ${digest} missing from ${layout}"
    byte[] bytes = f.bytes
    check(sha256(bytes) == digest, "blob ${f} does not hash to its name")
    return bytes
  }

  /** The index the build wrote: [digest:, bytes:, json:] from target/multiarch (or another output directory). */
  static Map builtIndex(File outputDirectory) {
    Map metadata = json(new File(outputDirectory, 'metadata.json')) as Map
    String digest = metadata.indexDigest
    assert digest != null: "no indexDigest in ${outputDirectory}/metadata.json"
    byte[] bytes = blob(new File(outputDirectory, 'oci'), digest)
    return [digest: digest, bytes: bytes, json: json(bytes), metadata: metadata]
  }
}
