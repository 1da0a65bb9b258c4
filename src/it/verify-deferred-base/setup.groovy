// A registry holding a two-platform base image in base/app:1 (built by the engine with TestImages), copied there
// by skopeo; the build is told to leave the base layers there (baseLayers=defer).
import io.github.multiarch.testing.TestImages

import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
File base = new File(basedir, 'base')
TestImages.build(base.toPath(), 'base-1', ['linux/amd64', 'linux/arm64'], 'verify-deferred-base', 0)
PushIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests', '--dest-tls-verify=false', '--dest-no-creds',
             "oci:${base}/out/oci:base-1", "docker://${registry.host()}/base/app:1"])
PushIt.writeProperties(basedir, 'verify.properties', [
    'multiarch.from'              : "${registry.host()}/base/app:1",
    'multiarch.baseLayers'        : 'defer',
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.cacheDirectory'    : new File(basedir, 'target/base-cache').path,
])
return true
