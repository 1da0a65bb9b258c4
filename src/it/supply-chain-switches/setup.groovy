// Compiles hello for two platforms, starts a plain-HTTP registry, makes a signing key encrypted with the password
// invoker.properties passes in MULTIARCH_SIGNING_KEY_PASSWORD (openssl), and writes each run's properties.
import io.github.multiarch.testing.it.ItSupport
import io.github.multiarch.testing.it.PushIt
import io.github.multiarch.testing.it.SupplyChainIt

['linux/amd64', 'linux/arm64'].each { platform ->
  ItSupport.compileHello(basedir, platform, new File(basedir, "bin/${ItSupport.platform(platform).slug}/hello"))
}
def registry = PushIt.startRegistry(basedir)
String password = 'it-env-password-5d0c2f' // as invoker.properties sets it
PushIt.keep(basedir, 'password', password)
Map keys = SupplyChainIt.makeKeys(basedir, password)
String host = registry.host()
Map common = ['multiarch.insecureRegistries': host]
Map signing = common + ['multiarch.signingKey': keys.key.path]
PushIt.writeProperties(basedir, 'bundle.properties', signing + ['multiarch.image': "${host}/it/bundle:1.0.0",
    'multiarch.signatureFormat': 'bundle', 'multiarch.sbom': 'false'])
PushIt.writeProperties(basedir, 'legacy.properties', signing + ['multiarch.image': "${host}/it/legacy:1.0.0",
    'multiarch.signatureFormat': 'legacy', 'multiarch.provenance': 'false', 'multiarch.requireSbom': 'true',
    'multiarch.verifyKey': keys.publicKey.path])
PushIt.writeProperties(basedir, 'plain.properties', common + ['multiarch.image': "${host}/it/plain:1.0.0",
    'multiarch.attestations': 'false', 'multiarch.verifyKey': keys.publicKey.path])
PushIt.writeProperties(basedir, 'wrong-key.properties', common + ['multiarch.image': "${host}/it/bundle:1.0.0",
    'multiarch.verifySource': 'registry', 'multiarch.requireProvenance': 'true',
    'multiarch.verifyKey': keys.otherPublicKey.path])
// attestations false as in run 3, whose layout this push reads (else the push refuses the layout as stale first)
PushIt.writeProperties(basedir, 'bad-format.properties', signing + ['multiarch.image': "${host}/it/bad-format:1.0.0",
    'multiarch.attestations': 'false', 'multiarch.signatureFormat': 'cosign4'])
PushIt.writeProperties(basedir, 'skip-sign.properties', signing + ['multiarch.image': "${host}/it/plain:1.0.0",
    'multiarch.skipSign': 'true'])
// to a tag of its own: 1.0.0 keeps naming what run 1 pushed
PushIt.writeProperties(basedir, 'annotate.properties', signing + ['multiarch.image': "${host}/it/bundle:1.0.0",
    'multiarch.tags': 'annotated',
    'multiarch.indexAnnotations': 'org.opencontainers.image.description=annotated and signed again'])
return true
