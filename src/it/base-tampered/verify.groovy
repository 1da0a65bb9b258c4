// refused at planning, naming the base, the blob file, and both digests; nothing written
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

String layer = new File(basedir, 'tampered-layer.txt').text.trim()
File blob = support.blobFile(new File(basedir, 'base'), layer)
support.assertRefused(basedir, [
    '<from> (-Dmultiarch.from): base image oci-layout:base:base',
    "blob ${blob.canonicalPath} is corrupt: expected ${layer}",
    ~/found sha256:[0-9a-f]{64} \(\d+ bytes\)/,
    'the layout is damaged',
])
return true
