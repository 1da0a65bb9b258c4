// One index in the registry with linux/amd64, linux/arm64/v8 and one windows/amd64 entry per os.version of the
// base; skopeo selects a Windows image as podman and CRI-O would; the Windows layer holds Hives/ and the PE under
// Files/ with the PAX records Windows reads; the base's foreign layer is referenced with its urls, and neither
// the layout nor the registry has its blob; verify judged the PE for amd64 and noted the foreign layer once.
import groovy.json.JsonSlurper
import io.github.multiarch.testing.WindowsBase
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.VerifyIt
import io.github.multiarch.testing.it.WindowsIt

try {
  def registry = PushIt.kept(basedir, 'registry')
  String log = ItChecks.buildLog(basedir)
  assert log.contains('BUILD SUCCESS')

  Map rows = VerifyIt.summary(log)
  List windowsRows = WindowsBase.OS_VERSIONS.collect { "windows/amd64 (os.version ${it})".toString() }
  assert rows.keySet() as List == ['linux/amd64', 'linux/arm64/v8'] + windowsRows + ['index']: rows.keySet()
  windowsRows.each { String row ->
    assert rows[row][1] == 'PASS' && rows[row][2] == 'PASS': "${row}: ${rows[row]}"
    assert rows[row][5].contains('1 executable for amd64'): rows[row]
    assert rows[row][5].count('foreign layer') == 1: "the foreign layer is noted once: ${rows[row]}"
  }

  def index = WindowsIt.manifest(registry, 'it/mixed', '1.0.0')
  List entries = index.get('manifests').collect { it }
  assert entries.collect { "${it.get('platform').get('os').asText()}/${it.get('platform').get('architecture').asText()}" } ==
      ['linux/amd64', 'linux/arm64', 'windows/amd64', 'windows/amd64']
  assert entries.findAll { it.get('platform').get('os').asText() == 'windows' }
      .collect { it.get('platform').get('os.version').asText() } == WindowsBase.OS_VERSIONS

  // podman and CRI-O on a Windows node: skopeo picks the Windows image
  Map selected = new JsonSlurper().parse(PushIt.skopeo(['inspect', '--override-os', 'windows', '--override-arch',
      'amd64', '--tls-verify=false', "docker://${registry.host()}/it/mixed:1.0.0"]))
  assert selected.Os == 'windows' && selected.Architecture == 'amd64': selected

  File exe = new File(basedir, 'bin/windows-amd64/hello.exe')
  entries.findAll { it.get('platform').get('os').asText() == 'windows' }.each { entry ->
    String digest = entry.get('digest').asText()
    def manifest = WindowsIt.manifest(registry, 'it/mixed', digest)
    def config = new JsonSlurper().parse(PushIt.skopeo(['inspect', '--config', '--raw', '--tls-verify=false',
        "docker://${registry.host()}/it/mixed@${digest}"]))
    assert config.os == 'windows' && config['os.version'] == entry.get('platform').get('os.version').asText()
    assert config.config.Entrypoint == ['C:\\app\\hello.exe']
    List layers = manifest.get('layers').collect { it }
    def foreign = layers[0]
    assert foreign.get('urls') != null && foreign.get('mediaType').asText().contains('nondistributable'): foreign
    assert !WindowsIt.hasBlob(registry, 'it/mixed', foreign.get('digest').asText()): 'the foreign layer was pushed'
    assert !ItChecks.blobFile(new File(basedir, 'target/multiarch/oci'), foreign.get('digest').asText()).exists():
        'the foreign layer is in the layout'
    Map tar = WindowsIt.layerEntries(registry, 'it/mixed', layers[-1].get('digest').asText(),
        new File(basedir, 'target/layers'))
    assert tar.keySet() as List == ['Hives/', 'Files/', 'Files/app/', 'Files/app/hello.exe']: tar.keySet()
    assert tar['Files/app/hello.exe'].content == exe.bytes
    assert tar['Files/app/hello.exe'].pax['MSWINDOWS.fileattr'] == '32'
    assert tar['Files/app/'].pax['MSWINDOWS.fileattr'] == '16'
    assert tar['Files/app/hello.exe'].pax['MSWINDOWS.rawsd']
  }
  assert ItSupport.run(['file', exe.path]).contains('PE32+ executable')

  // the Linux children are as ever: an ELF under /app, no Files/
  entries.findAll { it.get('platform').get('os').asText() == 'linux' }.each { entry ->
    def manifest = WindowsIt.manifest(registry, 'it/mixed', entry.get('digest').asText())
    Map tar = WindowsIt.layerEntries(registry, 'it/mixed', manifest.get('layers')[0].get('digest').asText(),
        new File(basedir, 'target/layers'))
    assert tar.keySet().contains('app/hello') && !tar.keySet().any { it.startsWith('Files/') }: tar.keySet()
  }
} finally {
  PushIt.closeAll(basedir)
}
return true
