// A base layout with linux/amd64 and linux/arm64/v8 only (written by hand: configs, no layers).
import io.github.multiarch.testing.it.ItSupport

ItSupport.writeMinimalLayout(new File(basedir, 'base'), 'base', ['linux/amd64', 'linux/arm64'])
return true
