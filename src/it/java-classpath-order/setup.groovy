// Makes what the test needs with independent tools, not with the plugin:
// - two dependencies, com.example.it:which-a:1.0 and which-b:1.0, each holding com.example.which.Which whose
//   answer() says "a" or "b", compiled here and installed into the invoker's local repository;
// - a JRE base image for linux/amd64, oci-layout:base:jre: this machine's JDK cut down with jlink to java.base,
//   plus the shared libraries its binaries load (read off ldd), put into an image by umoci, with PATH set.
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import javax.tools.ToolProvider

import io.github.multiarch.testing.it.ItChecks
import io.github.multiarch.testing.it.ItSupport
ItSupport.requireTools(['umoci', 'skopeo', 'chroot', 'unshare', 'ldd'])
assert System.getProperty('os.arch') in ['amd64', 'x86_64']: 'the JRE base is made from this machine\'s JDK, an amd64 one'

File work = new File(basedir, 'setup-work')
work.deleteDir()

// ------------------------------------------------------------------ the two dependencies
File repository = new File(localRepositoryPath.toString())
['a', 'b'].each { String answer ->
  File sources = new File(work, "which-${answer}/src/com/example/which")
  File classes = new File(work, "which-${answer}/classes")
  sources.mkdirs()
  classes.mkdirs()
  File source = new File(sources, 'Which.java')
  source.text = """package com.example.which;

/** The copy of this class in which-${answer}. */
public final class Which {
  public static String answer() {
    return "${answer}";
  }
}
"""
  int rc = ToolProvider.systemJavaCompiler.run(null, null, null, '--release', '17', '-d', classes.path, source.path)
  assert rc == 0: "javac failed for which-${answer}"
  File dir = new File(repository, "com/example/it/which-${answer}/1.0")
  dir.mkdirs()
  new File(dir, "which-${answer}-1.0.jar").withOutputStream { out ->
    new JarOutputStream(out).withCloseable { jar ->
      jar.putNextEntry(new JarEntry('com/example/which/Which.class'))
      jar.write(new File(classes, 'com/example/which/Which.class').bytes)
      jar.closeEntry()
    }
  }
  new File(dir, "which-${answer}-1.0.pom").text = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.it</groupId>
  <artifactId>which-${answer}</artifactId>
  <version>1.0</version>
</project>
"""
}

// ------------------------------------------------------------------ the JRE base
File javaHome = new File(System.getProperty('java.home'))
File jlink = new File(javaHome, 'bin/jlink')
assert jlink.canExecute(): "no jlink in ${javaHome}: run the tests with a JDK"
File rootfs = new File(work, 'rootfs')
File runtime = new File(rootfs, 'opt/java')
runtime.parentFile.mkdirs()
ItSupport.run([jlink.path, '--add-modules', 'java.base', '--strip-debug', '--no-header-files', '--no-man-pages',
             '--output', runtime.path])
// every library the launcher and the JVM load, with the dynamic loader, where they are on this machine
Set<String> libraries = new TreeSet<>()
List<File> binaries = [new File(runtime, 'bin/java')]
runtime.eachFileRecurse { if (it.name.endsWith('.so')) binaries << it }
binaries.each { File binary ->
  ItSupport.run(['ldd', binary.path]).readLines().each { String line ->
    def m = line =~ /(?:=>\s*)?(\/\S+)\s+\(0x/
    if (m.find() && !m.group(1).startsWith(runtime.path)) {
      libraries << m.group(1)
    }
  }
}
assert libraries.any { it.contains('ld-linux') }: "ldd named no dynamic loader: ${libraries}"
libraries.each { String path ->
  File copy = new File(rootfs, path.substring(1))
  copy.parentFile.mkdirs()
  copy.bytes = new File(path).canonicalFile.bytes
  copy.setExecutable(true, false)
}
// the base works as a root of its own before it becomes an image
String version = ItSupport.runInRoot(rootfs, [], ['/opt/java/bin/java', '--version'])
println "JRE base root: ${libraries.size()} libraries; ${version.readLines()[0]}"

File base = new File(basedir, 'base')
base.deleteDir()
ItSupport.run(['umoci', 'init', '--layout', base.path])
String image = "${base.path}:jre"
ItSupport.run(['umoci', 'new', '--image', image])
new File(rootfs, 'proc').deleteDir() // the mount point of the check above; a runtime makes its own
rootfs.eachFile { File top ->
  ItSupport.run(['umoci', 'insert', '--rootless', '--image', image, top.path, "/${top.name}".toString()])
}
ItSupport.run(['umoci', 'config', '--image', image, '--os', 'linux', '--architecture', 'amd64',
             '--config.env', 'PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin', '--config.env', 'JAVA_HOME=/opt/java'])
assert ItChecks.json(ItSupport.runBytes(['skopeo', 'inspect', '--config', '--raw', "oci:${image}"])).architecture == 'amd64'
work.deleteDir()
return true
