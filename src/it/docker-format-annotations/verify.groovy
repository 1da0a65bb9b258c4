// a Docker manifest list has no annotations: the explicit one is an error naming <annotations> and the format
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

support.assertRefused(basedir, [
    '<annotations>',
    'format docker (a Docker manifest list) cannot carry annotations',
    'com.example.team',
    'use format oci',
])
return true
