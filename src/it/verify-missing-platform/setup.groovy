def support = new GroovyClassLoader(getClass().classLoader)
    .parseClass(new File(basedir, '../../../src/it/common/ItSupport.groovy'))

['linux/amd64', 'linux/arm64'].each { platform ->
  support.compileHello(basedir, platform, new File(basedir, "bin/${support.platform(platform).slug}/hello"))
}
return true
