// A registry with the sources of the four refused runs, in it/parts: amd64 and amd64-other (two linux/amd64
// images), win (Windows, Docker v2 media types) and noarch (made by hand: its config has os but no architecture).
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
File work = new File(basedir, 'target/images')
Map images = [
    amd64      : IndexIt.pushImage(registry, 'it/parts', 'amd64', work, [platform: 'linux/amd64']),
    amd64other : IndexIt.pushImage(registry, 'it/parts', 'amd64-other', work, [platform: 'linux/amd64', seed: 'other']),
    win        : IndexIt.pushImage(registry, 'it/parts', 'win', work, [os: 'windows', arch: 'amd64', osVersion: '10.0.20348.2655', docker: true]),
    noarch     : IndexIt.pushHandMadeImage(registry, 'it/parts', 'noarch', work, [os: 'linux']),
]
assert images.amd64.digest != images.amd64other.digest
IndexIt.writeExpected(basedir, images)

String host = registry.host()
Map common = ['multiarch.image': "${host}/it/bad:1.0", 'multiarch.insecureRegistries': host]
PushIt.writeProperties(basedir, 'unknown-source.properties', common + [
    'multiarch.sources': "${host}/it/parts:amd64,${host}/it/parts:nope"])
PushIt.writeProperties(basedir, 'no-architecture.properties', common + [
    'multiarch.sources': "${host}/it/parts:amd64,${host}/it/parts:noarch"])
PushIt.writeProperties(basedir, 'duplicate-platform.properties', common + [
    'multiarch.sources': "${host}/it/parts:amd64,${host}/it/parts:amd64-other"])
PushIt.writeProperties(basedir, 'docker-format.properties', common + [
    'multiarch.sources': "${host}/it/parts:win,${host}/it/parts:amd64", 'multiarch.format': 'docker'])
return true
