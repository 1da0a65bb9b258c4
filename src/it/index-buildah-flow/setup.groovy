// A registry with an existing index it/buildah:1.0 (linux/amd64, linux/arm64/v8, linux/ppc64le; built and pushed
// with the engine) and two single images in another repository, it/buildah-parts: s390x (to add) and arm-v7
// (which the refused create names, and which must not reach it/buildah).
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
File work = new File(basedir, 'target/images')
Map existing = IndexIt.pushIndex(registry, 'it/buildah', '1.0', work, ['linux/amd64', 'linux/arm64', 'linux/ppc64le'], 'buildah')
Map images = [
    existing: existing,
    s390x   : IndexIt.pushImage(registry, 'it/buildah-parts', 's390x', work, [platform: 'linux/s390x']),
    armv7   : IndexIt.pushImage(registry, 'it/buildah-parts', 'arm-v7', work, [platform: 'linux/arm/v7']),
]
IndexIt.writeExpected(basedir, images)

String host = registry.host()
PushIt.writeProperties(basedir, 'create-no-amend.properties', [
    'multiarch.image'             : "${host}/it/buildah:1.0",
    'multiarch.sources'           : "${host}/it/buildah-parts:arm-v7",
    'multiarch.insecureRegistries': host,
])
PushIt.writeProperties(basedir, 'create-amend.properties', [
    'multiarch.image'             : "${host}/it/buildah:1.0",
    'multiarch.sources'           : "${host}/it/buildah-parts:s390x",
    'multiarch.amend'             : 'true',
    'multiarch.insecureRegistries': host,
])
PushIt.writeProperties(basedir, 'annotate.properties', [
    'multiarch.image'             : "${host}/it/buildah:1.0",
    'multiarch.platforms'         : 'linux/arm64',
    'multiarch.annotations'       : 'A=B',
    'multiarch.indexAnnotations'  : 'org.opencontainers.image.description=Hello from the buildah flow',
    'multiarch.insecureRegistries': host,
])
return true
