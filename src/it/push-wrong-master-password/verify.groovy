// Failed in multiarch:push at the credentials, with a message naming the server and settings-security.xml, no stack
// trace or exception class, and neither the encrypted password nor the plain one in the log.
import io.github.multiarch.testing.it.PushIt

String log = PushIt.assertFailedIn(basedir, 'push', [
    "Maven settings: cannot decrypt the password of <server> 'registry.invalid:5000' in settings.xml",
    'does not decrypt with that master password',
    'settings-security.xml',
])
assert !log.contains('BadPaddingException') && !log.contains('PlexusCipherException')
assert !log.contains('registry.invalid:5000 answers'): 'the push went on to the registry'
PushIt.assertNoSecrets(log, ['{7+vklaaXxxMH4QuHeT6a92jmqiLFTVFSkysg+IcQ8is=}', 'the-secret-pw'])
return true
