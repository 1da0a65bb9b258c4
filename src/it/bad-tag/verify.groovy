// '-bad' is not a tag: the error names <tags> / -Dmultiarch.tags and says what a tag may hold
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.assertRefused(basedir, [
    '<tags> (-Dmultiarch.tags)',
    "invalid tag '-bad'",
    "not starting with '.' or '-'",
])
return true
