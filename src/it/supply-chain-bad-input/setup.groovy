// A registry holding only it/parts:amd64 (the source of the create runs), a layout built with the engine (the
// layout of the push runs), and the bad inputs: no file, a text file, an RSA key (openssl), an encrypted P-256
// key whose password the runs do not have, and a "BOM" that is not JSON.
import io.github.multiarch.testing.TestImages
import io.github.multiarch.testing.it.IndexIt
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

def registry = PushIt.startRegistry(basedir)
IndexIt.pushImage(registry, 'it/parts', 'amd64', new File(basedir, 'target/images'), [platform: 'linux/amd64'])
File layout = TestImages.build(new File(basedir, 'image').toPath(), '1.0', ['linux/amd64', 'linux/arm64'], 'bad',
    0).layout().toFile()
String password = "key-pw-${UUID.randomUUID()}"
PushIt.keep(basedir, 'password', password)
Map keys = SupplyChainIt.makeKeys(basedir, password)
File notPem = new File(basedir, 'keys/not-pem.txt')
notPem.text = 'this is a signing key, honestly\n'
File rsa = SupplyChainIt.makeRsaKey(new File(basedir, 'keys/rsa.pem'))
File notJson = new File(basedir, 'not-a-bom.json')
notJson.text = '<bom>not JSON</bom>\n'

String host = registry.host()
Map push = ['multiarch.insecureRegistries': host, 'multiarch.layout': layout.path,
            'multiarch.image': "${host}/it/bad-push:1.0"]
Map create = ['multiarch.insecureRegistries': host, 'multiarch.sources': "${host}/it/parts:amd64",
              'multiarch.image': "${host}/it/bad-create:1.0"]
PushIt.writeProperties(basedir, 'missing-key.properties', push + [
    'multiarch.signingKey': new File(basedir, 'keys/missing.pem').path])
PushIt.writeProperties(basedir, 'not-pem.properties', create + ['multiarch.signingKey': notPem.path])
PushIt.writeProperties(basedir, 'rsa-key.properties', create + ['multiarch.signingKey': rsa.path])
PushIt.writeProperties(basedir, 'wrong-password.properties', push + ['multiarch.signingKey': keys.key.path])
PushIt.writeProperties(basedir, 'sbom-source.properties', ['multiarch.insecureRegistries': host,
    'multiarch.image': "${host}/it/bad-sbom:1.0", 'multiarch.sbomSource': notJson.path])
return true
