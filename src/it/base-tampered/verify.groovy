// refused at planning, naming the base, the blob file, and both digests; nothing written
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

String layer = new File(basedir, 'tampered-layer.txt').text.trim()
File blob = ItChecks.blobFile(new File(basedir, 'base'), layer)
ItSupport.assertRefused(basedir, [
    '<from> (-Dmultiarch.from): base image oci-layout:base:base',
    "blob ${blob.canonicalPath} is corrupt: expected ${layer}",
    ~/found sha256:[0-9a-f]{64} \(\d+ bytes\)/,
    'the layout is damaged',
])
return true
