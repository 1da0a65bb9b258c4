// A registry holding a two-platform base image in base/app:1 (built by the engine with TestImages: a layer
// shared by both platforms and one of each platform's own), copied there by skopeo.
import io.github.multiarch.testing.TestImages

import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
File base = new File(basedir, 'base')
TestImages.build(base.toPath(), 'base-1', ['linux/amd64', 'linux/arm64'], 'push-mounts-base', 0)
PushIt.skopeo(['copy', '--quiet', '--all', '--preserve-digests', '--dest-tls-verify=false', '--dest-no-creds',
             "oci:${base}/out/oci:base-1", "docker://${registry.host()}/base/app:1"])
PushIt.writeProperties(basedir, 'push.properties', [
    'multiarch.from'              : "${registry.host()}/base/app:1",
    'multiarch.image'             : "${registry.host()}/derived/app",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.cacheDirectory'    : new File(basedir, 'target/base-cache').path,
])
return true
