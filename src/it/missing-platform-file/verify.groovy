// bin/{platform}/hello exists for linux/amd64 and linux/arm/v7 only; linux/arm64, last, has none
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.assertRefused(basedir, [
    '<layers>',
    "layer 'hello' for platform linux/arm64/v8",
    "${basedir.canonicalPath}/bin/linux-arm64-v8/hello",
    'bin/{platform}/hello',
    'does not exist',
])
return true
