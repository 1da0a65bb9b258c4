// '-bad' is not a tag: the error names <tags> / -Dmultiarch.tags and says what a tag may hold
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<tags> (-Dmultiarch.tags)',
    "invalid tag '-bad'",
    "not starting with '.' or '-'",
])
return true
