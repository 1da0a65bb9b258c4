// The image to push (built here), a settings file whose server password was encrypted under the master password
// "master-A", and a settings-security.xml holding "master-B". Fixed values: decrypting with a wrong key fails
// with a padding error for these, always (a random pair would decrypt into garbage once in 256 runs).
import io.github.multiarch.testing.TestImages

import io.github.multiarch.testing.it.PushIt

TestImages.build(new File(basedir, 'image').toPath(), '1.0', ['linux/amd64'], 'wrong-master', 0)
File security = new File(basedir, 'settings-security.xml')
security.text = '<settingsSecurity>\n  <master>{LLgschgg3wkHGPuk5fzPNnupnq0r8ErixCwYt7lHrf0=}</master>\n</settingsSecurity>\n'
String common = new File(basedir, '../../../src/it/settings.xml').canonicalFile.getText('UTF-8')
new File(basedir, "settings-${basedir.name}.xml").setText(common.replace('</settings>', '''  <servers>
    <server>
      <id>registry.invalid:5000</id>
      <username>ci</username>
      <password>{7+vklaaXxxMH4QuHeT6a92jmqiLFTVFSkysg+IcQ8is=}</password>
    </server>
  </servers>
</settings>'''), 'UTF-8')
PushIt.writeProperties(basedir, 'push.properties', ['settings.security': security.canonicalPath])
return true
