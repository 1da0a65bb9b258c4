// A registry holding three per-architecture images, each a single manifest under its own tag, as three podman
// builds and pushes leave them: it/podman:amd64 and :arm64 (OCI) and :amd64win (Windows Server 2022, os.version
// 10.0.20348.2655, Docker v2 media types). Built and pushed with the engine, not with the goals under test.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.addClasspath(new File(basedir, '../../../src/it/common').canonicalPath)
def push = loader.loadClass('PushIt')
def index = loader.loadClass('IndexIt')

def registry = push.startRegistry(basedir)
String repository = 'it/podman'
File work = new File(basedir, 'target/images')
Map images = [
    amd64   : index.pushImage(registry, repository, 'amd64', work, [platform: 'linux/amd64']),
    arm64   : index.pushImage(registry, repository, 'arm64', work, [platform: 'linux/arm64']),
    amd64win: index.pushImage(registry, repository, 'amd64win', work,
        [os: 'windows', arch: 'amd64', osVersion: '10.0.20348.2655', docker: true]),
]
assert images.amd64win.mediaType == index.DOCKER_MANIFEST && images.amd64.mediaType == index.OCI_MANIFEST
index.writeExpected(basedir, images)

String host = registry.host()
push.writeProperties(basedir, 'create.properties', [
    'multiarch.image'             : "${host}/${repository}:multi",
    'multiarch.sources'           : ['amd64', 'arm64', 'amd64win'].collect { "${host}/${repository}:${it}" }.join(','),
    'multiarch.insecureRegistries': host,
])
push.writeProperties(basedir, 'inspect.properties', [
    'multiarch.image'             : "${host}/${repository}:multi",
    'multiarch.insecureRegistries': host,
])
push.writeProperties(basedir, 'inspect-json.properties', [
    'multiarch.image'             : "${host}/${repository}:multi",
    'multiarch.insecureRegistries': host,
    'multiarch.output'            : 'json',
])
return true
