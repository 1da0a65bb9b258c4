// Two builds after clean (recompiled classes with new file times) must give the same index digest and
// byte-identical layouts; every layer entry carries the fixed timestamp and root ownership.
import org.apache.commons.compress.archivers.tar.TarArchiveEntry
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream

import java.time.Instant
import java.util.zip.GZIPInputStream

import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

File out1 = new File(basedir, 'out1')
File out2 = new File(basedir, 'out2')

// both invocations ran and wrote where they were told
String log = new File(basedir, 'build.log').getText('UTF-8')
ItChecks.check(log.count('multiarch: built OCI image index into') == 2, 'build.log does not show two builds')
ItChecks.check(log.contains("built OCI image index into ${out1.path}/oci"), "build.log: no build into ${out1}")
ItChecks.check(log.contains("built OCI image index into ${out2.path}/oci"), "build.log: no build into ${out2}")

String digest1 = new File(out1, 'index.digest').getText('UTF-8').trim()
String digest2 = new File(out2, 'index.digest').getText('UTF-8').trim()
assert digest1 ==~ /sha256:[0-9a-f]{64}/
assert digest1 == digest2

Map<String, File> files(File root) {
  Map<String, File> map = new TreeMap<>()
  root.eachFileRecurse(groovy.io.FileType.FILES) { map[root.toPath().relativize(it.toPath()).toString()] = it }
  return map
}
Map<String, File> files1 = files(new File(out1, 'oci'))
Map<String, File> files2 = files(new File(out2, 'oci'))
assert files1.keySet() == files2.keySet()
files1.each { String path, File f ->
  ItSupport.checkSameBytes(f, files2[path], "oci/${path} differs between the two builds")
}

// the layouts are not trivially equal: two tags, two platforms, the Java and per-platform layers
File layout = new File(out1, 'oci')
Map top = ItSupport.tagDescriptor(layout, '1.0.0')
assert ItSupport.tagDescriptor(layout, 'latest').digest == top.digest
assert top.digest == digest1
Map index = ItChecks.json(ItChecks.blob(layout, top.digest, top.size as Long))
assert index.manifests*.platform == [[os: 'linux', architecture: 'amd64'], [os: 'linux', architecture: 'arm64', variant: 'v8']]
assert index.annotations['org.opencontainers.image.created'] == '2026-01-01T00:00:00Z'
long fixed = Instant.parse('2026-01-01T00:00:00Z').toEpochMilli()
Set<String> layers = new TreeSet<>()
index.manifests.each { Map entry ->
  Map manifest = ItChecks.json(ItChecks.blob(layout, entry.digest, entry.size as Long))
  Map config = ItChecks.json(ItChecks.blob(layout, manifest.config.digest, manifest.config.size as Long))
  assert config.created == '2026-01-01T00:00:00Z'
  assert config.history.every { it.created == '2026-01-01T00:00:00Z' }
  assert config.config.Env == ['A=1', 'B=2'] || config.config.Env == ['B=2', 'A=1']
  assert manifest.layers.size() == 5 // dependencies, resources, classes, jvm-arg-files, tools
  manifest.layers.each { layers << it.digest }
}
assert layers.size() == 6: 'the Java layers are shared, the tools layer is per platform'

// every entry of every layer: the fixed time, root ownership, no user or group names from this machine
int entries = 0
layers.each { String layerDigest ->
  new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(ItChecks.blob(layout, layerDigest)))).withCloseable { tar ->
    TarArchiveEntry e
    while ((e = tar.nextEntry) != null) {
      entries++
      assert e.modTime.time == fixed: "${e.name} in ${layerDigest} has time ${e.modTime.toInstant()}"
      assert e.longUserId == 0 && e.longGroupId == 0: "${e.name} in ${layerDigest} is owned by ${e.longUserId}:${e.longGroupId}"
    }
  }
}
assert entries >= 6

// metadata.json differs only in where the layout is
Map metadata1 = ItChecks.json(new File(out1, 'metadata.json'))
Map metadata2 = ItChecks.json(new File(out2, 'metadata.json'))
assert metadata1.layout != metadata2.layout
assert metadata1.findAll { it.key != 'layout' } == metadata2.findAll { it.key != 'layout' }

ItSupport.validateSchemas(layout, ociSchemasDir)
return true
