// Each platform's SBOM holds cyclonedx-maven-plugin's own component for commons-lang3 (its description and
// external references, which the plugin's computed components never carry), not a second computed one, and is
// valid CycloneDX 1.5 even though the source BOM is 1.6.
import groovy.json.JsonSlurper
import io.github.multiarch.supply.CycloneDxSchema
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.SupplyChainIt

String log = ItChecks.buildLog(basedir)
assert log.contains('BUILD SUCCESS')
Map bom = new JsonSlurper().parse(new File(basedir, 'target/bom.json'))
Map source = bom.components.find { it.name == 'commons-lang3' }
assert source?.description && source.externalReferences: "cyclonedx-maven-plugin wrote no description: ${source}"
File layout = new File(basedir, 'target/multiarch/oci')
Map index = ItChecks.json(new File(layout, 'index.json'))
List children = ItChecks.json(ItChecks.blob(layout, index.manifests.find { it.annotations?.get(ItChecks.REF_NAME) }
    .digest)).manifests
assert children.size() == 2
children.each { Map child ->
  byte[] sbom = SupplyChainIt.layoutReferrer(layout, child.digest, SupplyChainIt.SBOM_TYPE)
  CycloneDxSchema.assertValid15(sbom)
  List libraries = new JsonSlurper().parse(sbom).components.findAll { it.type == 'library' }
  assert libraries*.name == ['commons-lang3']: libraries*.name
  assert libraries[0].description == source.description
  assert libraries[0].purl == source.purl
}
return true
