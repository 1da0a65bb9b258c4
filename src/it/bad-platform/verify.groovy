// a misspelt os: the error names <platforms> / -Dmultiarch.platforms and lists the valid os values
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<platforms> (-Dmultiarch.platforms)',
    "unknown os 'lnux' in platform 'lnux/amd64'",
    ~/valid: [a-z0-9, ]*\blinux\b[a-z0-9, ]*\bwindows\b/,
])
return true
