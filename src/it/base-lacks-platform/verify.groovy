// the base (setup.groovy) has linux/amd64 and linux/arm64/v8 only; linux/s390x is asked for last
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<from> (-Dmultiarch.from)',
    'has no image for linux/s390x',
    'it has: linux/amd64, linux/arm64/v8',
])
return true
