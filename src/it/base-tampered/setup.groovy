// A one-image base made with umoci (a file inserted as one layer), then one bit of its layer blob flipped:
// the same size, another digest, as a disk error or a careless edit leaves it.
import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport

ItSupport.requireTools(['umoci'])
File base = new File(basedir, 'base')
base.deleteDir()
ItSupport.run(['umoci', 'init', '--layout', base.path])
ItSupport.run(['umoci', 'new', '--image', "${base.path}:base"])
File file = new File(basedir, 'base-file.txt')
file.text = 'a file of the base image\n'
ItSupport.run(['umoci', 'insert', '--rootless', '--image', "${base.path}:base", file.path, '/etc/base-file.txt'])
Map top = ItSupport.tagDescriptor(base, 'base')
Map manifest = ItChecks.json(ItChecks.blob(base, top.digest))
String layer = manifest.layers[0].digest
File blob = ItChecks.blobFile(base, layer)
byte[] bytes = blob.bytes
bytes[bytes.length.intdiv(2)] = (byte) (bytes[bytes.length.intdiv(2)] ^ 1)
blob.bytes = bytes
new File(basedir, 'tampered-layer.txt').text = layer
return true
