// Starts a plain-HTTP registry, pushes a two-platform image to it unsigned (with the engine), and makes an
// unencrypted signing key (openssl).
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

def registry = PushIt.startRegistry(basedir)
SupplyChainIt.pushUnsigned(registry, 'it/sign', '1.0.0', new File(basedir, 'image'))
Map keys = SupplyChainIt.makeKeys(basedir, null)
PushIt.writeProperties(basedir, 'sign.properties', [
    'multiarch.image'             : "${registry.host()}/it/sign:1.0.0",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.signingKey'        : keys.key.path,
])
return true
