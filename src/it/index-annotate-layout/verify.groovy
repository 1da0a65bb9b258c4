// The layout's 1.0.0 is the built index with A=B on the arm64 entry and the description on the index, nothing
// else changed (same entries, digests, platforms; the built index blob is still there); no-arm is that index
// without the arm/v7 entry; index.json names each tag once; the layout is still valid (OCI schemas, and skopeo
// copies both tags verifying every digest); inspect shows no-arm with the annotation and the description.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt

String description = 'Annotated in a local layout'
File layout = new File(basedir, 'target/multiarch/oci')
Map built = PushIt.builtIndex(new File(basedir, 'target/multiarch'))
List<Map> builtEntries = built.json.manifests
assert builtEntries*.platform*.architecture == ['amd64', 'arm64', 'arm']
assert !builtEntries[1].annotations?.containsKey('A')

// index.json: 1.0.0 and no-arm, each once, both OCI indexes
Map tagged = ItSupport.tagDescriptor(layout, '1.0.0')
Map noArmTagged = ItSupport.tagDescriptor(layout, 'no-arm')
Map top = ItChecks.json(new File(layout, 'index.json')) as Map
// besides them, untagged entries for the attestations the build attached (each names its subject)
List images = top.manifests.findAll { !it.annotations?.containsKey('io.github.multiarch.referrer.subject') }
assert images.size() == 2: "index.json should name 1.0.0 and no-arm only: ${images}"
assert tagged.mediaType == ItChecks.OCI_INDEX && noArmTagged.mediaType == ItChecks.OCI_INDEX
assert tagged.digest != built.digest: 'annotate did not change the tag 1.0.0'

// 1.0.0: the built index plus the annotations, as skopeo reads it
byte[] raw = IndexIt.skopeo(['inspect', '--raw', "oci:${layout.path}:1.0.0"])
assert ItChecks.sha256(raw) == tagged.digest && raw.length == tagged.size
Map annotated = ItChecks.json(raw) as Map
List<Map> entries = annotated.manifests
assert entries*.digest == builtEntries*.digest
assert entries*.size == builtEntries*.size
assert entries*.mediaType == builtEntries*.mediaType
assert entries*.platform == builtEntries*.platform
[0, 2].each { assert (entries[it].annotations ?: [:]) == (builtEntries[it].annotations ?: [:]) }
assert entries[1].annotations == (builtEntries[1].annotations ?: [:]) + [A: 'B']
assert annotated.annotations == (built.json.annotations ?: [:]) + ['org.opencontainers.image.description': description]

// no-arm: the annotated index without arm/v7
Map noArm = ItChecks.json(IndexIt.skopeo(['inspect', '--raw', "oci:${layout.path}:no-arm"])) as Map
assert noArm.manifests == entries.take(2)
assert noArm.annotations == annotated.annotations

// still a valid layout: schemas, and skopeo copies every tag verifying each blob
ItSupport.validateSchemas(layout, ociSchemasDir)
['1.0.0', 'no-arm'].each { String tag ->
  File copy = new File(basedir, "target/copy-${tag}")
  copy.deleteDir()
  IndexIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests', "oci:${layout.path}:${tag}", "oci:${copy.path}:x"])
  assert ItSupport.tagDescriptor(copy, 'x').digest == ItSupport.tagDescriptor(layout, tag).digest
}
// arm64 as podman would pick it from the annotated index is the built arm64 image
byte[] config = IndexIt.skopeo(['inspect', '--raw', '--config'] + ItSupport.skopeoPlatform('linux/arm64') + ["oci:${layout.path}:1.0.0"])
assert ItChecks.sha256(config) == (ItChecks.json(ItChecks.blob(layout, builtEntries[1].digest)) as Map).config.digest

// the runs
List<String> runs = IndexIt.runs(ItChecks.buildLog(basedir))
assert runs.size() == 4: "expected the logs of four runs in build.log, found ${runs.size()}"
IndexIt.assertRunSucceeded(runs[1], 'annotate')
ItChecks.check(runs[1].contains("multiarch: oci-layout:target/multiarch/oci:1.0.0 → ${tagged.digest} (3 entries), tags: 1.0.0"),
    "the first annotate run does not name the index it wrote:\n${runs[1]}")
IndexIt.assertRunSucceeded(runs[2], 'annotate')
ItChecks.check(runs[2].contains("→ ${noArmTagged.digest} (2 entries), tags: no-arm"), "the second annotate run does not name no-arm:\n${runs[2]}")
IndexIt.assertRunSucceeded(runs[3], 'inspect')
List<String> table = runs[3].readLines().findAll { it.startsWith('[INFO] ') }.collect { it.substring(7) }
ItChecks.check(table.any { it.startsWith("oci-layout:target/multiarch/oci:no-arm: OCI image index ${noArmTagged.digest}") },
    "inspect does not show no-arm:\n${table.join('\n')}")
ItChecks.check(table.count { it ==~ /\s+linux\/\S+\s+image\s+sha256:.*/ } == 2, "inspect does not show two entries:\n${table.join('\n')}")
ItChecks.check(table.contains('      A=B'), "inspect does not show the entry annotation A=B:\n${table.join('\n')}")
ItChecks.check(table.contains("    org.opencontainers.image.description=${description}".toString()), "inspect does not show the description:\n${table.join('\n')}")
return true
