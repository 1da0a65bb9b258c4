// linux/arm64 is linux/arm64/v8: the second is a duplicate
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<platforms> (-Dmultiarch.platforms)',
    'platform linux/arm64/v8 is listed twice',
])
return true
