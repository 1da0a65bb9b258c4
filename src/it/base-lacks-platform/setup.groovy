// A base layout with linux/amd64 and linux/arm64/v8 only (written by hand: configs, no layers).
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.writeMinimalLayout(new File(basedir, 'base'), 'base', ['linux/amd64', 'linux/arm64'])
return true
