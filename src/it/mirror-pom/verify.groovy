// Every base blob came through the mirror (its access log, as asked by the plugin), the plugin asked the origin
// nothing, the log and the summary name the mirror, and the image is byte for byte the one built without a mirror.
import io.github.multiarch.testing.it.MirrorIt
import io.github.multiarch.testing.it.PushIt

try {
  MirrorIt.verify(basedir)
} finally {
  PushIt.closeAll(basedir)
}
return true
