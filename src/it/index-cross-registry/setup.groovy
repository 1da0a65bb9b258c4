// Two registry processes. The source one holds it/src:amd64 (OCI), it/src:win (Windows, Docker v2 media types)
// and it/src-multi:1 (an index of linux/arm64/v8 and linux/arm/v7); the target one is empty.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')
def index = loader.loadClass('IndexIt')

def source = push.startRegistry(basedir)
def target = push.keep(basedir, 'target', io.github.multiarch.testing.TestRegistry.builder('it-' + basedir.name + '-target').start())
assert source.host() != target.host()
println "target registry ${target.baseUrl()}"
File work = new File(basedir, 'target/images')
Map images = [
    amd64: index.pushImage(source, 'it/src', 'amd64', work, [platform: 'linux/amd64']),
    win  : index.pushImage(source, 'it/src', 'win', work, [os: 'windows', arch: 'amd64', osVersion: '10.0.20348.2655', docker: true]),
    multi: index.pushIndex(source, 'it/src-multi', '1', work, ['linux/arm64', 'linux/arm/v7'], 'cross'),
]
index.writeExpected(basedir, images)

push.writeProperties(basedir, 'create.properties', [
    'multiarch.image'             : "${target.host()}/it/dest:2.0",
    'multiarch.tags'              : 'latest',
    'multiarch.sources'           : ["${source.host()}/it/src:amd64", "${source.host()}/it/src:win",
                                     "${source.host()}/it/src-multi:1"].join(','),
    'multiarch.insecureRegistries': "${source.host()},${target.host()}",
])
return true
