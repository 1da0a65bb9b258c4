// A registry holding three per-architecture images, each a single manifest under its own tag, as three podman
// builds and pushes leave them: it/podman:amd64 and :arm64 (OCI) and :amd64win (Windows Server 2022, os.version
// 10.0.20348.2655, Docker v2 media types). Built and pushed with the engine, not with the goals under test.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
String repository = 'it/podman'
File work = new File(basedir, 'target/images')
Map images = [
    amd64   : IndexIt.pushImage(registry, repository, 'amd64', work, [platform: 'linux/amd64']),
    arm64   : IndexIt.pushImage(registry, repository, 'arm64', work, [platform: 'linux/arm64']),
    amd64win: IndexIt.pushImage(registry, repository, 'amd64win', work,
        [os: 'windows', arch: 'amd64', osVersion: '10.0.20348.2655', docker: true]),
]
assert images.amd64win.mediaType == IndexIt.DOCKER_MANIFEST && images.amd64.mediaType == ItChecks.OCI_MANIFEST
IndexIt.writeExpected(basedir, images)

String host = registry.host()
PushIt.writeProperties(basedir, 'create.properties', [
    'multiarch.image'             : "${host}/${repository}:multi",
    'multiarch.sources'           : ['amd64', 'arm64', 'amd64win'].collect { "${host}/${repository}:${it}" }.join(','),
    'multiarch.insecureRegistries': host,
])
PushIt.writeProperties(basedir, 'inspect.properties', [
    'multiarch.image'             : "${host}/${repository}:multi",
    'multiarch.insecureRegistries': host,
])
PushIt.writeProperties(basedir, 'inspect-json.properties', [
    'multiarch.image'             : "${host}/${repository}:multi",
    'multiarch.insecureRegistries': host,
    'multiarch.output'            : 'json',
])
return true
