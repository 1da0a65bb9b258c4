// Helpers of the verify-* integration tests (src/it/verify-*): OCI layouts written by hand with real layers (to
// hold what the plugin never writes), and checks of the verify goal's summary table and errors in build.log.
// Not an integration test itself (no pom.xml here). Load it with ItSupport:
//   def loader = new GroovyClassLoader(getClass().classLoader)
//   loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
//   def support = loader.loadClass('ItSupport')
//   def verifyIt = loader.loadClass('VerifyIt')

import groovy.json.JsonOutput
import org.apache.commons.compress.archivers.tar.TarArchiveEntry
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream
import org.apache.commons.compress.archivers.tar.TarConstants

import java.security.MessageDigest
import java.util.zip.GZIPOutputStream

class VerifyIt {
  static final String OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
  static final String OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
  static final String OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
  static final String OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
  static final String REF_NAME = 'org.opencontainers.image.ref.name'

  /**
   * An uncompressed layer tar from entries such as [name: 'hello', file: File, mode: 0755],
   * [name: 'x', text: '...'], [name: 'link', symlink: 'target'], [name: 'dir', dir: true]. Names are written as
   * given, '..' and absolute ones included.
   */
  static byte[] tar(List<Map> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream()
    TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX)
    entries.each { Map e ->
      TarArchiveEntry entry
      byte[] content = null
      if (e.dir) {
        entry = new TarArchiveEntry(e.name.toString() + '/', true)
        entry.mode = 040755
      } else if (e.symlink != null) {
        entry = new TarArchiveEntry(e.name.toString(), TarConstants.LF_SYMLINK, true)
        entry.linkName = e.symlink.toString()
        entry.mode = 0120777
      } else {
        content = e.file != null ? (e.file as File).bytes : e.text.toString().getBytes('UTF-8')
        entry = new TarArchiveEntry(e.name.toString(), true)
        entry.size = content.length
        entry.mode = 0100000 | ((e.mode ?: 0644) as int)
      }
      entry.modTime = new Date(0)
      out.putArchiveEntry(entry)
      if (content != null) {
        out.write(content)
      }
      out.closeArchiveEntry()
    }
    out.finish()
    out.close()
    return bytes.toByteArray()
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream()
    new GZIPOutputStream(out).withCloseable { it.write(bytes) }
    return out.toByteArray()
  }

  static String sha256(byte[] bytes) {
    return 'sha256:' + MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
  }

  static Map writeBlob(File layout, String mediaType, byte[] bytes) {
    String digest = sha256(bytes)
    File f = new File(layout, 'blobs/' + digest.replace(':', '/'))
    f.parentFile.mkdirs()
    f.bytes = bytes
    return [mediaType: mediaType, digest: digest, size: bytes.length]
  }

  /** Starts an empty OCI layout. */
  static void initLayout(File layout) {
    layout.deleteDir()
    new File(layout, 'blobs/sha256').mkdirs()
    new File(layout, 'oci-layout').text = '{"imageLayoutVersion":"1.0.0"}'
  }

  /**
   * Writes an image into a layout: gzipped layers of {@code tars}, a config declaring {@code configPlatform}
   * ([os:, architecture:, variant:]), a manifest; returns the index entry carrying {@code entryPlatform}.
   */
  static Map writeImage(File layout, Map entryPlatform, Map configPlatform, List<byte[]> tars, List<String> entrypoint) {
    List<Map> layers = tars.collect { writeBlob(layout, OCI_LAYER, gzip(it)) }
    Map config = configPlatform + [config: [Entrypoint: entrypoint],
                                   rootfs: [type: 'layers', diff_ids: tars.collect { sha256(it) }]]
    Map configDescriptor = writeBlob(layout, OCI_CONFIG, JsonOutput.toJson(config).getBytes('UTF-8'))
    Map manifest = [schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers: layers]
    return writeBlob(layout, OCI_MANIFEST, JsonOutput.toJson(manifest).getBytes('UTF-8')) + [platform: entryPlatform]
  }

  /** Writes the index over {@code entries} and names it {@code tag} in index.json. */
  static Map writeIndex(File layout, String tag, List<Map> entries) {
    Map index = [schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries]
    Map descriptor = writeBlob(layout, OCI_INDEX, JsonOutput.toJson(index).getBytes('UTF-8'))
    Map top = [schemaVersion: 2, mediaType: OCI_INDEX, manifests: [descriptor + [annotations: [(REF_NAME): tag]]]]
    new File(layout, 'index.json').setBytes(JsonOutput.toJson(top).getBytes('UTF-8'))
    return descriptor
  }

  // ------------------------------------------------------------------------------------------- the log

  static String buildLog(File basedir) {
    File f = new File(basedir, 'build.log')
    assert f.isFile(): "no build.log in ${basedir}"
    return f.getText('UTF-8')
  }

  /**
   * The rows of the verify summary table in build.log: subject → [REQUIRED, CONSISTENCY, BINARIES, SMOKE,
   * details]. Fails when there is no table.
   */
  static Map<String, List<String>> summary(String log) {
    List<String> lines = log.readLines()
    int header = lines.findIndexOf { it ==~ /\[INFO\]\s+PLATFORM\s+REQUIRED\s+CONSISTENCY\s+BINARIES\s+SMOKE\s+DETAILS/ }
    assert header >= 0: "build.log has no verify summary table:\n${log}"
    Map<String, List<String>> rows = [:]
    for (String line : lines.drop(header + 1)) {
      def m = line =~ /^\[INFO\]   (\S+(?: \(os\.version [^)]+\))?)\s+(PASS|FAIL|WARN|SKIP|-)\s+(PASS|FAIL|WARN|SKIP|-)\s+(PASS|FAIL|WARN|SKIP|-)\s+(PASS|FAIL|WARN|SKIP|-)\s*(.*)$/
      if (!m.matches()) {
        break
      }
      rows[m.group(1)] = [m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)]
    }
    return rows
  }

  /** The overall result line of the summary: PASS, WARN or FAIL. */
  static String result(String log) {
    def m = log =~ /\[INFO\]   result: (PASS|WARN|FAIL)/
    assert m.find(): "build.log has no verify result line"
    return m.group(1)
  }

  static void check(boolean ok, Object message) {
    if (!ok) {
      throw new AssertionError(message.toString())
    }
  }

  /**
   * For a run that had to fail in multiarch:verify: the build failed there, every expected text is in an [ERROR]
   * line, and there is no stack trace at the default log level.
   */
  static String assertVerifyFailed(File basedir, List<Object> expected) {
    String log = buildLog(basedir)
    List<String> errors = log.readLines().findAll { it.startsWith('[ERROR]') }
    String errorText = errors.join('\n')
    String shown = "\n--- [ERROR] lines of build.log:\n${errorText}"
    check(log.contains('BUILD FAILURE'), "the build did not fail${shown}")
    check((log =~ /Failed to execute goal io\.github\.multiarch:multiarch-maven-plugin:[^ ]+:verify /).find(),
        "the build failed, but not in multiarch:verify${shown}")
    for (Object text : expected) {
      if (text instanceof java.util.regex.Pattern) {
        check(text.matcher(errorText).find(), "no [ERROR] line of build.log matches /${text}/${shown}")
      } else {
        check(errorText.contains(text.toString()), "no [ERROR] line of build.log says '${text}'${shown}")
      }
    }
    List<String> traces = log.readLines().findAll { it.trim() ==~ /at [a-zA-Z_$][\w$.]*\(.*\)/ }
    check(traces.isEmpty(), "build.log shows a stack trace at the default log level:\n${traces.take(10).join('\n')}")
    check(!errors.any { it.contains('Exception:') || it.contains('Caused by') },
        "build.log shows an exception at the default log level${shown}")
    return log
  }
}
