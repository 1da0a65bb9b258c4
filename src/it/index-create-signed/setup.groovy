// A registry holding it/parts:amd64, :arm64 and :armv7, each a single image manifest (no index, as a
// per-architecture podman push leaves it) with its SBOM and provenance as referrers, signed as a Sigstore bundle
// and as cosign's legacy .sig by key A, all made with the engine; key A's password is only in an encrypted
// settings.xml <server>.
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

def registry = PushIt.startRegistry(basedir)
String password = "key-pw-${UUID.randomUUID()}"
PushIt.keep(basedir, 'password', password)
Map keys = SupplyChainIt.makeKeys(basedir, password)
File work = new File(basedir, 'target/images')
Map parts = [
    amd64: SupplyChainIt.pushSignedImage(registry, 'it/parts', 'amd64', 'linux/amd64', work, keys.key, password),
    arm64: SupplyChainIt.pushSignedImage(registry, 'it/parts', 'arm64', 'linux/arm64', work, keys.key, password),
    armv7: SupplyChainIt.pushSignedImage(registry, 'it/parts', 'armv7', 'linux/arm/v7', work, keys.key, password),
]
IndexIt.writeExpected(basedir, parts)
Map settings = PushIt.writeEncryptedSettings(basedir, 'multiarch-signing-key', 'signer', password)

String host = registry.host()
Map common = ['multiarch.insecureRegistries': host, 'settings.security': settings.security.path]
PushIt.writeProperties(basedir, 'create.properties', common + [
    'multiarch.image'     : "${host}/it/joined:1.0",
    'multiarch.sources'   : parts.keySet().collect { "${host}/it/parts:${it}" }.join(','),
    'multiarch.signingKey': keys.key.path,
])
PushIt.writeProperties(basedir, 'inspect.properties', common + ['multiarch.image': "${host}/it/joined:1.0"])
PushIt.writeProperties(basedir, 'inspect-json.properties', common + ['multiarch.image': "${host}/it/joined:1.0",
    'multiarch.output': 'json'])
return true
