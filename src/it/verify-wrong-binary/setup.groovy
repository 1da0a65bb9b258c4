// The mistake: the amd64 binary is copied to the arm64 directory as well (a Makefile that built once).
def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

File amd64 = new File(basedir, 'bin/linux-amd64/hello')
support.compileHello(basedir, 'linux/amd64', amd64)
File arm64 = new File(basedir, 'bin/linux-arm64/hello')
arm64.parentFile.mkdirs()
arm64.bytes = amd64.bytes
arm64.setExecutable(true)
support.assertMachine(arm64, 'linux/amd64')
return true
