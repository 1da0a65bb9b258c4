// A one-image base made with umoci (a file inserted as one layer), then one bit of its layer blob flipped:
// the same size, another digest, as a disk error or a careless edit leaves it.
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.requireTools(['umoci'])
File base = new File(basedir, 'base')
base.deleteDir()
support.run(['umoci', 'init', '--layout', base.path])
support.run(['umoci', 'new', '--image', "${base.path}:base"])
File file = new File(basedir, 'base-file.txt')
file.text = 'a file of the base image\n'
support.run(['umoci', 'insert', '--rootless', '--image', "${base.path}:base", file.path, '/etc/base-file.txt'])
Map top = support.tagDescriptor(base, 'base')
Map manifest = support.json(support.blob(base, top.digest))
String layer = manifest.layers[0].digest
File blob = support.blobFile(base, layer)
byte[] bytes = blob.bytes
bytes[bytes.length.intdiv(2)] = (byte) (bytes[bytes.length.intdiv(2)] ^ 1)
blob.bytes = bytes
new File(basedir, 'tampered-layer.txt').text = layer
return true
