// The pre-build hook of every project under examples/: the Windows example builds on a Windows base, which the
// tests cannot fetch from Microsoft's registry; this writes a Windows-shaped one (two os.versions, a foreign layer)
// where the examples execution's windows.base property points. Other examples need nothing.
import io.github.multiarch.testing.WindowsBase

String suffix = '/../../../src/it/examples-checks/hooks'
String hookDir = basedir.path.replace(File.separatorChar, '/' as char)
String example = new File(hookDir.substring(0, hookDir.length() - suffix.length())).name
if (example == 'windows-and-linux') {
  File dir = new File(windowsBaseDir)
  if (!new File(dir, 'index.json').isFile()) {
    WindowsBase.write(dir.toPath())
  }
}
return true
