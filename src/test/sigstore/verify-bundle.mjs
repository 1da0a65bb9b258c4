// Checks a Sigstore bundle with Sigstore's own JavaScript verifier (@sigstore/verify), offline, trusting only
// the one public key given: no transparency log, certificate transparency log or timestamp authority is
// required, as a bundle from a key-based signature without log upload carries none of them.
//
//   node verify-bundle.mjs <bundle.json> <publicKey.pem> [<expected subject sha256 hex>]
//
// Exit 0: the bundle is well formed, names the key by the hint the verifier looks up, and its DSSE signature
// verifies (and, when given, the in-toto statement's subject digest is the expected one). Exit 1 otherwise,
// with the reason on stderr. The top-level sigstore.verify() is not used on purpose: it fetches a trust root.
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity } from '@sigstore/verify';

const [bundlePath, publicKeyPath, expectedSubjectHex] = process.argv.slice(2);
if (!bundlePath || !publicKeyPath) {
  console.error('usage: node verify-bundle.mjs <bundle.json> <publicKey.pem> [<subject sha256 hex>]');
  process.exit(2);
}

try {
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  const publicKey = createPublicKey(readFileSync(publicKeyPath, 'utf8'));
  const hint = bundle.verificationMaterial.content.$case === 'publicKey'
    ? bundle.verificationMaterial.content.publicKey.hint : undefined;

  const trustMaterial = {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    // only the key we were given, and only under the hint the bundle names
    publicKey: (requested) => {
      if (requested !== hint) {
        throw new Error(`no trusted key for hint ${requested}`);
      }
      return { publicKey, validFor: () => true };
    },
  };
  const verifier = new Verifier(trustMaterial, { tlogThreshold: 0, ctlogThreshold: 0, tsaThreshold: 0 });
  verifier.verify(toSignedEntity(bundle));

  if (expectedSubjectHex) {
    const envelope = bundle.content.$case === 'dsseEnvelope' ? bundle.content.dsseEnvelope : undefined;
    if (!envelope) {
      throw new Error('the bundle holds no DSSE envelope');
    }
    const statement = JSON.parse(envelope.payload.toString('utf8'));
    const digests = (statement.subject ?? []).map((s) => s.digest?.sha256);
    if (!digests.includes(expectedSubjectHex)) {
      throw new Error(`statement subject ${JSON.stringify(digests)} does not name sha256:${expectedSubjectHex}`);
    }
  }
  console.log('bundle verified');
} catch (e) {
  console.error(`bundle not verified: ${e.message ?? e}`);
  process.exit(1);
}
