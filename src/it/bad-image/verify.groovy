// upper case and a double colon: the error names <image> / -Dmultiarch.image and shows the grammar
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.assertRefused(basedir, [
    '<image> (-Dmultiarch.image)',
    "invalid image reference 'UPPER/Case::x'",
    'lowercase repository',
])
return true
