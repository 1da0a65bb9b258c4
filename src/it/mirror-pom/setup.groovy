// The origin registry holding base/app:1 (two platforms), its pull-through cache (the mirror) and a twin registry
// holding the same base, kept for verify.groovy; see MirrorIt.
import io.github.multiarch.testing.it.MirrorIt

MirrorIt.setup(basedir, false)
return true
