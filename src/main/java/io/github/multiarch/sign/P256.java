package io.github.multiarch.sign;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;

/**
 * The one key type signing accepts: ECDSA on NIST P-256 with SHA-256, the scheme cosign's signature spec requires
 * every implementation to support (cosign specs/SIGNATURE_SPEC.md, "Signature Schemes") and cosign's default.
 */
final class P256 {
  /** id-ecPublicKey, the algorithm of every EC key (RFC 5480 section 2.1.1). */
  static final String EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1";
  /** secp256r1 alias prime256v1 alias P-256 (RFC 5480 section 2.1.1.1). */
  static final String CURVE_OID = "1.2.840.10045.3.1.7";

  /** The order n of P-256's base point (FIPS 186-4 D.1.2.3): two keys on the same curve share it. */
  private static final BigInteger ORDER = new BigInteger(
      "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  /** Names of algorithms and curves a refused key may have, so the refusal can say what it got. */
  private static final Map<String, String> KNOWN_OIDS = Map.of(
      "1.2.840.113549.1.1.1", "an RSA key",
      "1.2.840.113549.1.1.10", "an RSA-PSS key",
      "1.3.101.112", "an Ed25519 key",
      "1.3.101.113", "an Ed448 key",
      "1.2.840.10040.4.1", "a DSA key",
      "1.3.132.0.34", "an EC key on curve P-384",
      "1.3.132.0.35", "an EC key on curve P-521",
      "1.3.132.0.10", "an EC key on curve secp256k1");

  private P256() {}

  /** What a key with this algorithm or curve OID is, for a message; the OID itself when unknown. */
  static String describe(String oid) {
    return KNOWN_OIDS.getOrDefault(oid, "a key of algorithm or curve " + oid);
  }

  static boolean isP256(ECKey key) {
    return key.getParams().getCurve().getField().getFieldSize() == 256 && key.getParams().getOrder().equals(ORDER);
  }

  /** AlgorithmIdentifier { id-ecPublicKey, prime256v1 } as both PKCS#8 and SubjectPublicKeyInfo use it. */
  static byte[] algorithmIdentifier() {
    return Der.element(Der.SEQUENCE, Der.element(Der.OID, oidContent(EC_PUBLIC_KEY_OID)),
        Der.element(Der.OID, oidContent(CURVE_OID)));
  }

  /** The public key whose BIT STRING content (unused-bits byte, then the SEC1 point) is {@code bitString}. */
  static PublicKey publicKey(byte[] bitString) throws GeneralSecurityException {
    byte[] spki = Der.element(Der.SEQUENCE, algorithmIdentifier(), Der.element(Der.BIT_STRING, bitString));
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
  }

  /** An OID's DER content from its dotted form (X.690 section 8.19). */
  static byte[] oidContent(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeArc(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      writeArc(out, Long.parseLong(arcs[i]));
    }
    return out.toByteArray();
  }

  private static void writeArc(ByteArrayOutputStream out, long value) {
    int groups = 1;
    while ((value >>> (7 * groups)) != 0) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int septet = (int) ((value >>> (7 * g)) & 0x7f);
      out.write(g == 0 ? septet : septet | 0x80);
    }
  }
}
