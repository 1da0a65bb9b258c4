// Compiles hello for three platforms, starts a plain-HTTP registry, makes an encrypted signing key (openssl)
// whose password only an encrypted settings.xml <server> holds, and hands all of it to the Maven run.
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

['linux/amd64', 'linux/arm64', 'linux/arm/v7'].each { platform ->
  ItSupport.compileHello(basedir, platform, new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello"))
}
def registry = PushIt.startRegistry(basedir)
String password = "key-pw-${UUID.randomUUID()}"
PushIt.keep(basedir, 'password', password)
Map keys = SupplyChainIt.makeKeys(basedir, password)
Map settings = PushIt.writeEncryptedSettings(basedir, 'multiarch-signing-key', 'signer', password)
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.image'             : "${registry.host()}/it/signed",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.signingKey'        : keys.key.path,
    'settings.security'           : settings.security.path,
    'multiarch.requireSbom'       : 'true',
    'multiarch.requireProvenance' : 'true',
    'multiarch.verifyKey'         : keys.publicKey.path,
])
return true
