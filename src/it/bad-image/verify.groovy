// upper case and a double colon: the error names <image> / -Dmultiarch.image and shows the grammar
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<image> (-Dmultiarch.image)',
    "invalid image reference 'UPPER/Case::x'",
    'lowercase repository',
])
return true
