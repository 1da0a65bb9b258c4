// A plain-HTTP registry, and a stub in front of it that forwards everything except child manifests: the
// first PUT of a manifest by digest goes through, every later one is answered 500 (the plugin retries it;
// Retry-After: 0 keeps the retries quick).
// Run 1 pushes to the registry directly, run 2 through the stub.
import io.github.multiarch.testing.StubProxy

import io.github.multiarch.testing.it.PushIt

def registry = PushIt.startRegistry(basedir)
def stub = PushIt.keep(basedir, 'stub', StubProxy.start(registry.baseUrl()))
int childPuts = 0
stub.rule { request, forwarder ->
  if (request.method() == 'PUT' && request.path() ==~ '/v2/it/app/manifests/sha256:[0-9a-f]{64}') {
    synchronized (stub) {
      childPuts++
      if (childPuts > 1) {
        return StubProxy.Response.of(500, '{"errors":[{"code":"UNKNOWN","message":"stub: injected failure"}]}',
            'Content-Type', 'application/json', 'Retry-After', '0')
      }
    }
  }
  return forwarder.forward(request)
}
PushIt.writeProperties(basedir, 'run-1.properties', [
    'multiarch.image'             : "${registry.host()}/it/app",
    'multiarch.insecureRegistries': registry.host(),
    'multiarch.outputDirectory'   : new File(basedir, 'target/multiarch-a').path,
    'multiarch.layout'            : new File(basedir, 'target/multiarch-a').path,
])
PushIt.writeProperties(basedir, 'run-2.properties', [
    'multiarch.image'             : "${stub.host()}/it/app",
    'multiarch.insecureRegistries': stub.host(),
    'payload'                     : 'version-b',
])
return true
