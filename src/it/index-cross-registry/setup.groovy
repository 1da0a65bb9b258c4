// Two registry processes. The source one holds it/src:amd64 (OCI), it/src:win (Windows, Docker v2 media types)
// and it/src-multi:1 (an index of linux/arm64/v8 and linux/arm/v7); the target one is empty.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.PushIt

def source = PushIt.startRegistry(basedir)
def target = PushIt.keep(basedir, 'target', io.github.multiarch.testing.TestRegistry.builder('it-' + basedir.name + '-target').start())
assert source.host() != target.host()
println "target registry ${target.baseUrl()}"
File work = new File(basedir, 'target/images')
Map images = [
    amd64: IndexIt.pushImage(source, 'it/src', 'amd64', work, [platform: 'linux/amd64']),
    win  : IndexIt.pushImage(source, 'it/src', 'win', work, [os: 'windows', arch: 'amd64', osVersion: '10.0.20348.2655', docker: true]),
    multi: IndexIt.pushIndex(source, 'it/src-multi', '1', work, ['linux/arm64', 'linux/arm/v7'], 'cross'),
]
IndexIt.writeExpected(basedir, images)

PushIt.writeProperties(basedir, 'create.properties', [
    'multiarch.image'             : "${target.host()}/it/dest:2.0",
    'multiarch.tags'              : 'latest',
    'multiarch.sources'           : ["${source.host()}/it/src:amd64", "${source.host()}/it/src:win",
                                     "${source.host()}/it/src-multi:1"].join(','),
    'multiarch.insecureRegistries': "${source.host()},${target.host()}",
])
return true
