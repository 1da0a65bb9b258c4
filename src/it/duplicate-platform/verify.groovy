// linux/arm64 is linux/arm64/v8: the second is a duplicate
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.assertRefused(basedir, [
    '<platforms> (-Dmultiarch.platforms)',
    'platform linux/arm64/v8 is listed twice',
])
return true
