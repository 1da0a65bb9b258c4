// examples/windows-and-linux: one C program compiled by gcc for linux/amd64 and linux/arm64 and by MinGW-w64 for
// Windows, in one index. The Linux images unpack with umoci and run (natively or under qemu-user); skopeo picks
// a Windows image for a Windows node; each Windows image (one per os.version of the base) holds the PE under
// Files/ in Windows layer format, on the base's layers, its foreign layer referenced and not stored. (The examples
// are built with `package`; IT windows-and-linux runs verify on the same shape.)
import io.github.multiarch.testing.WindowsBase
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream

File layout = new File(basedir, 'target/multiarch/oci')
String tag = '1.0.0'
Map top = ItSupport.tagDescriptor(layout, tag)
Map index = ItChecks.json(ItChecks.blob(layout, top.digest, top.size as Long))
assert index.manifests*.platform*.os == ['linux', 'linux', 'windows', 'windows']
assert index.manifests.findAll { it.platform.os == 'windows' }*.platform*.get('os.version') == WindowsBase.OS_VERSIONS

File work = new File(basedir, 'target/unpacked')
['linux/amd64', 'linux/arm64'].each { String name ->
  File rootfs = ItSupport.unpack(layout, tag, name, work)
  File hello = new File(rootfs, 'app/hello')
  ItSupport.assertMachine(hello, name)
  assert ItSupport.runBinary(hello, name) == "hello from ${name}"
  println "windows-and-linux ${name}: runs: hello from ${name}"
}

Map windowsConfig = ItChecks.json(ItSupport.runBytes(['skopeo', 'inspect', '--raw', '--config', '--override-os',
    'windows', '--override-arch', 'amd64', "oci:${layout.path}:${tag}".toString()]))
assert windowsConfig.os == 'windows' && windowsConfig.config.Entrypoint == ['C:\\app\\hello.exe']

File exe = new File(basedir, 'target/bin/windows-amd64/hello.exe')
assert ItSupport.run(['file', exe.path]).contains('PE32+ executable')
index.manifests.findAll { it.platform.os == 'windows' }.each { Map entry ->
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  Map foreign = manifest.layers[0]
  assert foreign.urls && !ItChecks.blobFile(layout, foreign.digest).exists(): 'the foreign layer must not be stored'
  Map ours = manifest.layers[-1]
  Map<String, byte[]> files = [:]
  new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(
      ItChecks.blob(layout, ours.digest, ours.size as Long)))).withCloseable { tar ->
    def e
    while ((e = tar.nextEntry) != null) {
      files[e.name] = e.isFile() ? tar.readAllBytes() : null
    }
  }
  assert files.keySet() as List == ['Hives/', 'Files/', 'Files/app/', 'Files/app/hello.exe']: files.keySet()
  assert files['Files/app/hello.exe'] == exe.bytes
  println "windows-and-linux windows/amd64 (os.version ${entry.platform['os.version']}): ${entry.digest}"
}

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
