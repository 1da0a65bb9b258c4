// The post-build hook of every project under examples/ (the "examples" execution of maven-invoker-plugin in
// pom.xml). The examples stay free of test files: this script runs the check named after the example,
// src/it/examples-checks/<example>.groovy, with the same variables (basedir set to the example), and fails when
// an example has none.
//
// The invoker gives a hook script the directory of the script as basedir. It resolves this script as
// <example>/../../../src/it/examples-checks/hooks/verify.groovy without normalizing the path, so the example's
// directory is the part of basedir before that suffix.
String suffix = '/../../../src/it/examples-checks/hooks'
String hookDir = basedir.path.replace(File.separatorChar, '/' as char)
assert hookDir.endsWith(suffix) && hookDir.length() > suffix.length():
    "cannot tell the example from the hook's basedir ${basedir}; did maven-invoker-plugin start normalizing paths?"
File example = new File(hookDir.substring(0, hookDir.length() - suffix.length()))
File check = new File(basedir, "../${example.name}.groovy").canonicalFile
assert check.isFile(): "examples/${example.name} has no check; write src/it/examples-checks/${example.name}.groovy"

// an example names the plugin by its literal version (users copy it): it must be the version being built
// (javax.xml: the invoker's Groovy has no groovy-xml)
def xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath()
def pom = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(example, 'pom.xml'))
String version = xpath.evaluate(
    "/*[local-name()='project']/*[local-name()='build']/*[local-name()='plugins']/*[local-name()='plugin']"
        + "[*[local-name()='artifactId']='multiarch-maven-plugin']/*[local-name()='version']", pom).trim()
assert !version.isEmpty(): "examples/${example.name}/pom.xml does not use multiarch-maven-plugin in <build><plugins>"
assert version == pluginVersion:
    "examples/${example.name}/pom.xml uses multiarch-maven-plugin ${version}; this build is ${pluginVersion}"

Binding checkBinding = new Binding(new LinkedHashMap(binding.variables))
checkBinding.setVariable('basedir', example)
def result = new GroovyShell(getClass().classLoader, checkBinding).evaluate(check)
assert result == true: "${check.name} did not return true"
return true
