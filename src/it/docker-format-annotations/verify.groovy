// a Docker manifest list has no annotations: the explicit one is an error naming <annotations> and the format
import io.github.multiarch.testing.it.ItSupport

ItSupport.assertRefused(basedir, [
    '<annotations>',
    'format docker (a Docker manifest list) cannot carry annotations',
    'com.example.team',
    'use format oci',
])
return true
