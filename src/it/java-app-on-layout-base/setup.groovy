// Makes the base image with independent tools, not with the plugin: one image per platform with umoci (a
// static /bin/base-hello and Env BASE=1), then an OCI index over them written here, tagged "base". The
// index lists linux/arm/v6 before linux/arm/v7, and starts with an unknown/unknown attestation-like entry,
// so that choosing the first compatible entry instead of the exact one is caught.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

ItSupport.requireTools(['umoci'])
File base = new File(basedir, 'base')
File work = new File(basedir, 'base-work')
base.deleteDir()
work.deleteDir()
ItSupport.run(['umoci', 'init', '--layout', base.path])

List<String> platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v6', 'linux/arm/v7']
Map<String, Map> manifests = [:]
platforms.each { String name ->
  Map p = ItSupport.platform(name)
  File binary = new File(work, "${p.slug}/base-hello")
  ItSupport.compileHello(basedir, name, binary)
  String image = "${base.path}:${p.slug}"
  ItSupport.run(['umoci', 'new', '--image', image])
  ItSupport.run(['umoci', 'insert', '--rootless', '--image', image, binary.path, '/bin/base-hello'])
  ItSupport.run(['umoci', 'config', '--image', image, '--os', 'linux', '--architecture', p.arch,
               '--config.env', 'BASE=1', '--config.env', "BASE_PLATFORM=${name}".toString()])
  manifests[name] = ItSupport.tagDescriptor(base, p.slug)
}

// the attestation entry points at the arm/v6 image: a base chosen by position would show v6 content
Map v6 = manifests['linux/arm/v6']
List<Map> entries = [[mediaType  : ItChecks.OCI_MANIFEST, digest: v6.digest, size: v6.size,
                      platform   : [os: 'unknown', architecture: 'unknown'],
                      annotations: ['vnd.docker.reference.type': 'attestation-manifest',
                                    'vnd.docker.reference.digest': v6.digest]]]
platforms.each { String name ->
  Map p = ItSupport.platform(name)
  Map m = manifests[name]
  entries << [mediaType: ItChecks.OCI_MANIFEST, digest: m.digest, size: m.size,
              platform : [os: 'linux', architecture: p.arch] + (p.variant ? [variant: p.variant] : [:])]
}
Map index = ItSupport.writeIndex(base, 'base', entries)
println "base image ${index.digest}: ${platforms.join(', ')} and an attestation"

// the base is well-formed by an independent reader
String stat = ItSupport.run(['skopeo', 'inspect', '--raw', "oci:${base.path}:base"])
assert ItChecks.json(stat.getBytes('UTF-8')).manifests.size() == 5
manifests.each { String name, Map m ->
  byte[] config = ItSupport.skopeoConfig(base, 'base', name)
  ItChecks.check(ItChecks.sha256(config) == ItChecks.json(ItChecks.blob(base, m.digest)).config.digest,
      "skopeo does not choose the ${name} entry of the base")
}
return true
