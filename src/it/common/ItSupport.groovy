// Helpers shared by the hook scripts of src/it. Not an integration test itself (no pom.xml here).
// Load it from a hook script with:
//   def support = new GroovyClassLoader(getClass().classLoader)
//       .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))
// (basedir is the cloned test under target/it; the class loader of the hook scripts holds the test class
// path, addTestClassPath, so OciSchemas is found).

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.github.multiarch.testing.OciSchemas

import java.security.MessageDigest
import java.util.concurrent.TimeUnit

class ItSupport {
  /** The Debian package of every program the tests run. */
  static final Map<String, String> PACKAGES = [
      'gcc'                      : 'gcc',
      'aarch64-linux-gnu-gcc'    : 'gcc-aarch64-linux-gnu',
      'arm-linux-gnueabihf-gcc'  : 'gcc-arm-linux-gnueabihf',
      'powerpc64le-linux-gnu-gcc': 'gcc-powerpc64le-linux-gnu',
      's390x-linux-gnu-gcc'      : 'gcc-s390x-linux-gnu',
      'qemu-x86_64-static'       : 'qemu-user-static',
      'qemu-aarch64-static'      : 'qemu-user-static',
      'qemu-arm-static'          : 'qemu-user-static',
      'qemu-ppc64le-static'      : 'qemu-user-static',
      'qemu-s390x-static'        : 'qemu-user-static',
      'skopeo'                   : 'skopeo',
      'umoci'                    : 'umoci',
      'file'                     : 'file',
  ]

  /**
   * What the tests know of each platform: the compiler of common/hello.c and its flags, the qemu-user
   * emulator that runs the result, what {@code file} says about it, and the {platform} slug of the plugin.
   */
  static final Map<String, Map> PLATFORMS = [
      'linux/amd64'  : [arch: 'amd64', variant: null, slug: 'linux-amd64', cc: 'gcc', cflags: [],
                        qemu: 'qemu-x86_64-static', file: ['64-bit LSB', 'x86-64']],
      'linux/arm64'  : [arch: 'arm64', variant: 'v8', slug: 'linux-arm64', cc: 'aarch64-linux-gnu-gcc', cflags: [],
                        qemu: 'qemu-aarch64-static', file: ['64-bit LSB', 'ARM aarch64']],
      'linux/arm/v7' : [arch: 'arm', variant: 'v7', slug: 'linux-arm-v7', cc: 'arm-linux-gnueabihf-gcc', cflags: [],
                        qemu: 'qemu-arm-static', file: ['32-bit LSB', 'ARM, EABI5']],
      'linux/arm/v6' : [arch: 'arm', variant: 'v6', slug: 'linux-arm-v6', cc: 'arm-linux-gnueabihf-gcc',
                        cflags: ['-march=armv6+fp', '-marm'], qemu: 'qemu-arm-static', file: ['32-bit LSB', 'ARM, EABI5']],
      'linux/ppc64le': [arch: 'ppc64le', variant: null, slug: 'linux-ppc64le', cc: 'powerpc64le-linux-gnu-gcc', cflags: [],
                        qemu: 'qemu-ppc64le-static', file: ['64-bit LSB', '64-bit PowerPC']],
      'linux/s390x'  : [arch: 's390x', variant: null, slug: 'linux-s390x', cc: 's390x-linux-gnu-gcc', cflags: [],
                        qemu: 'qemu-s390x-static', file: ['64-bit MSB', 'IBM S/390']],
  ]

  static final String OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
  static final String OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
  static final String OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
  static final String REF_NAME = 'org.opencontainers.image.ref.name'

  static File commonDir(File basedir) {
    File dir = new File(basedir, '../../../src/it/common').canonicalFile
    assert new File(dir, 'hello.c').isFile(): "src/it/common not found from ${basedir}"
    return dir
  }

  /**
   * An assertion for checks on large values (logs, file contents): Groovy's assert would print them whole;
   * this shows only the message.
   */
  static void check(boolean ok, Object message) {
    if (!ok) {
      throw new AssertionError(message.toString())
    }
  }

  /** Fails unless the two files (or a file and bytes) hold the same bytes. */
  static void checkSameBytes(Object actual, Object expected, Object message) {
    byte[] a = actual instanceof File ? actual.bytes : actual as byte[]
    byte[] e = expected instanceof File ? expected.bytes : expected as byte[]
    check(Arrays.equals(a, e), "${message} (${a.length} and ${e.length} bytes differ)")
  }

  static Map platform(String name) {
    Map p = PLATFORMS[name]
    assert p != null: "no test data for platform ${name}"
    return p
  }

  // ---------------------------------------------------------------------------------------- programs

  /** Fails, naming the Debian package to install, unless every program is on the PATH. */
  static void requireTools(Collection<String> programs) {
    List<String> missing = programs.findAll { findOnPath(it) == null }
    if (!missing.isEmpty()) {
      Set<String> packages = new TreeSet<>(missing.collect { PACKAGES[it] ?: it })
      throw new AssertionError("required programs missing: ${missing.join(', ')}; install the Debian packages "
          + "${packages.join(' ')} (apt-get install -y ${packages.join(' ')}), as src/test/tools/ensure-test-tools.sh does")
    }
  }

  static File findOnPath(String program) {
    for (String dir : (System.getenv('PATH') ?: '/usr/bin:/bin').split(File.pathSeparator)) {
      File f = new File(dir, program)
      if (f.isFile() && f.canExecute()) {
        return f
      }
    }
    return null
  }

  /** Runs a program, fails unless it exits 0, and returns its standard output as bytes. */
  static byte[] runBytes(List<String> command, File dir = null) {
    if (!command[0].toString().contains('/')) {
      requireTools([command[0].toString()])
    }
    ProcessBuilder pb = new ProcessBuilder(command.collect { it.toString() })
    if (dir != null) {
      pb.directory(dir)
    }
    File err = File.createTempFile('it-stderr', '.txt')
    pb.redirectError(err)
    Process process = pb.start()
    process.outputStream.close()
    ByteArrayOutputStream out = new ByteArrayOutputStream()
    Thread reader = Thread.start { out << process.inputStream }
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly()
      throw new AssertionError("timed out after 180 s: ${command.join(' ')}")
    }
    reader.join()
    String stderr = err.text
    err.delete()
    if (process.exitValue() != 0) {
      throw new AssertionError("exit ${process.exitValue()}: ${command.join(' ')}\nstdout: ${new String(out.toByteArray(), 'UTF-8')}\nstderr: ${stderr}")
    }
    return out.toByteArray()
  }

  static String run(List<String> command, File dir = null) {
    return new String(runBytes(command, dir), 'UTF-8')
  }

  // -------------------------------------------------------------------------------- native binaries

  /** Compiles common/hello.c statically for a platform into {@code output}. */
  static void compileHello(File basedir, String platformName, File output) {
    Map p = platform(platformName)
    requireTools([p.cc])
    output.parentFile.mkdirs()
    run([p.cc, '-static', '-O2'] + p.cflags + ['-o', output.path, new File(commonDir(basedir), 'hello.c').path])
    assert output.isFile() && output.length() > 0
  }

  /** Runs a static binary natively when the host is its architecture, otherwise under qemu-user. */
  static String runBinary(File binary, String platformName) {
    Map p = platform(platformName)
    boolean nativeHost = p.arch == 'amd64' && System.getProperty('os.arch') in ['amd64', 'x86_64']
    List<String> command = nativeHost ? [binary.path] : [p.qemu, binary.path]
    return run(command).trim()
  }

  /**
   * Runs {@code command} inside an unpacked image root as a container runtime would start it: with only the
   * given environment, in mount and PID namespaces of its own with /proc mounted (the JVM and the dynamic
   * loader's $ORIGIN read it), chrooted to {@code rootfs}. Needs root. Returns standard output.
   */
  static String runInRoot(File rootfs, List<String> environment, List<String> command) {
    File proc = new File(rootfs, 'proc')
    proc.mkdirs()
    return run(['/usr/bin/env', '-i'] + environment + ['/usr/bin/unshare', '--mount', '--pid', '--fork',
                "--mount-proc=${proc.path}".toString(), '/usr/sbin/chroot', rootfs.path] + command)
  }

  /** Asserts that {@code file} describes the binary as a static executable of the platform's machine. */
  static void assertMachine(File binary, String platformName) {
    String description = run(['file', '-b', binary.path]).trim()
    for (String expected : platform(platformName).file) {
      assert description.contains(expected): "file says '${description}' of ${binary}, expected '${expected}' for ${platformName}"
    }
    assert description.contains('statically linked'): "file says '${description}' of ${binary}"
  }

  // ------------------------------------------------------------------------------------- OCI layouts

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

  static File blobFile(File layout, String digest) {
    return new File(layout, 'blobs/' + digest.replace(':', '/'))
  }

  /** The bytes of a blob, checked against its digest (and size, when given). */
  static byte[] blob(File layout, String digest, Long size = null) {
    File f = blobFile(layout, digest)
    assert f.isFile(): "blob ${digest} missing from ${layout}"
    byte[] bytes = f.bytes
    check(sha256(bytes) == digest, "blob ${f} does not hash to its name")
    if (size != null) {
      check(bytes.length == size, "blob ${digest} is ${bytes.length} bytes, its descriptor says ${size}")
    }
    return bytes
  }

  /** The descriptor of a tag in a layout's index.json. */
  static Map tagDescriptor(File layout, String tag) {
    Map index = json(new File(layout, 'index.json')) as Map
    List<Map> matches = index.manifests.findAll { it.annotations?.get(REF_NAME) == tag }
    assert matches.size() == 1: "tag ${tag}: ${matches.size()} entries in ${layout}/index.json: ${index}"
    return matches[0]
  }

  /** skopeo's platform selection arguments for a platform. */
  static List<String> skopeoPlatform(String platformName) {
    Map p = platform(platformName)
    return ['--override-os', 'linux', '--override-arch', p.arch] + (p.variant ? ['--override-variant', p.variant] : [])
  }

  /** The exact config bytes skopeo selects for a platform of a multi-platform tag. */
  static byte[] skopeoConfig(File layout, String tag, String platformName) {
    return runBytes(['skopeo', 'inspect', '--raw', '--config'] + skopeoPlatform(platformName) + ["oci:${layout.path}:${tag}"])
  }

  /**
   * Copies one platform out of a multi-platform layout with skopeo (umoci 0.4 cannot open an index) and
   * unpacks it with umoci; returns the root file system.
   */
  static File unpack(File layout, String tag, String platformName, File workDir) {
    String slug = platform(platformName).slug
    File copy = new File(workDir, "image-${slug}")
    File bundle = new File(workDir, "bundle-${slug}")
    workDir.mkdirs()
    copy.deleteDir()
    bundle.deleteDir()
    run(['skopeo', 'copy', '--quiet'] + skopeoPlatform(platformName) + ["oci:${layout.path}:${tag}", "oci:${copy.path}:x"])
    run(['umoci', 'unpack', '--rootless', '--image', "${copy.path}:x", bundle.path])
    File rootfs = new File(bundle, 'rootfs')
    assert rootfs.isDirectory(): "umoci unpacked no rootfs into ${bundle}"
    return rootfs
  }

  /** Validates a layout against the OCI image-spec schemas the project carries (src/test/resources/oci-schemas). */
  static void validateSchemas(File layout, Object ociSchemasDir) {
    assert ociSchemasDir != null: 'the invoker configuration passes no ociSchemasDir script variable'
    System.setProperty('oci.schemas.dir', ociSchemasDir.toString())
    int count = OciSchemas.load().validateLayout(layout.toPath())
    assert count >= 3
    println "OCI schema validation: ${count} documents of ${layout} valid"
  }

  /**
   * Writes a small multi-platform OCI layout by hand (no layers, a config per platform), for tests that only
   * need a base to choose from: {@code platforms} are index entries such as linux/amd64.
   */
  static void writeMinimalLayout(File dir, String tag, List<String> platforms) {
    dir.deleteDir()
    new File(dir, 'blobs/sha256').mkdirs()
    new File(dir, 'oci-layout').text = '{"imageLayoutVersion":"1.0.0"}'
    List<Map> entries = platforms.collect { String name ->
      Map p = platform(name)
      Map platformJson = [os: 'linux', architecture: p.arch] + (p.variant ? [variant: p.variant] : [:])
      Map config = platformJson + [rootfs: [type: 'layers', diff_ids: []], config: [Env: ['BASE=1']]]
      Map configDescriptor = writeBlob(dir, OCI_CONFIG, JsonOutput.toJson(config).getBytes('UTF-8'))
      Map manifest = [schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers: []]
      Map manifestDescriptor = writeBlob(dir, OCI_MANIFEST, JsonOutput.toJson(manifest).getBytes('UTF-8'))
      return manifestDescriptor + [platform: platformJson]
    }
    writeIndex(dir, tag, entries)
  }

  /** Writes an OCI index over {@code entries} as a blob and names it {@code tag} in index.json. */
  static Map writeIndex(File dir, String tag, List<Map> entries) {
    Map index = [schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries]
    Map descriptor = writeBlob(dir, OCI_INDEX, JsonOutput.toJson(index).getBytes('UTF-8'))
    Map top = [schemaVersion: 2, mediaType: OCI_INDEX, manifests: [descriptor + [annotations: [(REF_NAME): tag]]]]
    new File(dir, 'index.json').setBytes(JsonOutput.toJson(top).getBytes('UTF-8'))
    return descriptor
  }

  static Map writeBlob(File dir, String mediaType, byte[] bytes) {
    String digest = sha256(bytes)
    File f = blobFile(dir, digest)
    f.parentFile.mkdirs()
    f.bytes = bytes
    return [mediaType: mediaType, digest: digest, size: bytes.length]
  }

  // -------------------------------------------------------------------------------------- bad input

  /**
   * For a build that had to fail on bad input: build.log names the plugin's goal as failed, its [ERROR] lines
   * hold every expected text (a String, or a Pattern to find), it shows no stack trace of ours, and the plugin wrote
   * nothing.
   */
  static void assertRefused(File basedir, List<Object> expected) {
    File logFile = new File(basedir, 'build.log')
    assert logFile.isFile(): "no build.log in ${basedir}"
    String log = logFile.getText('UTF-8')
    List<String> errors = log.readLines().findAll { it.startsWith('[ERROR]') }
    String errorText = errors.join('\n')
    String shown = "\n--- [ERROR] lines of build.log:\n${errorText}"
    check(log.contains('BUILD FAILURE'), "the build did not fail${shown}")
    check((log =~ /Failed to execute goal io\.github\.multiarch:multiarch-maven-plugin:[^ ]+:build /).find(),
        "the build failed, but not in multiarch:build${shown}")
    for (Object text : expected) {
      if (text instanceof java.util.regex.Pattern) {
        check(text.matcher(errorText).find(), "no [ERROR] line of build.log matches /${text}/${shown}")
      } else {
        check(errorText.contains(text.toString()), "no [ERROR] line of build.log says '${text}'${shown}")
      }
    }
    List<String> traces = log.readLines().findAll { it.trim().startsWith('at io.github.') }
    check(traces.isEmpty(), "build.log shows a stack trace at the default log level:\n${traces.join('\n')}")
    check(!errors.any { it.contains('Exception:') || it.contains('Caused by') },
        "build.log shows an exception at the default log level${shown}")
    File output = new File(basedir, 'target/multiarch')
    assert !output.exists(): "the refused build left ${output} behind: ${output.list()}"
  }
}
