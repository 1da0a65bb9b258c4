// bin/{platform}/hello exists for linux/amd64 and linux/arm/v7 only; linux/arm64, last, has none at
// bin/linux-arm64/hello, but its file is at bin/aarch64/hello (uname's name): the message shows it, and the
// placeholder that names it
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<layers>',
    "layer 'hello' for platform linux/arm64/v8",
    "${basedir.canonicalPath}/bin/linux-arm64/hello",
    'bin/{platform}/hello',
    'does not exist',
    'found next to it: aarch64/hello;',
    "${basedir.canonicalPath}/bin/{unameMachine}/hello would name it",
])
return true
