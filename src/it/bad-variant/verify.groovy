// linux/arm/v9 from -Dmultiarch.platforms: the error names the property and the valid arm variants
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<platforms> (-Dmultiarch.platforms)',
    "unknown variant 'v9' for arm in platform 'linux/arm/v9'",
    'valid variants of arm: v5, v6, v7, v8',
])
return true
