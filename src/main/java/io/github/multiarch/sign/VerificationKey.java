package io.github.multiarch.sign;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** An ECDSA P-256 public key, read from a PEM {@code PUBLIC KEY} file such as cosign's {@code cosign.pub}. */
public final class VerificationKey {
  private static final String EXPECTED = "an ECDSA P-256 public key in PEM ('PUBLIC KEY', as cosign.pub or "
      + "openssl pkey -pubout writes it)";

  private final PublicKey publicKey;

  private VerificationKey(PublicKey publicKey) {
    this.publicKey = publicKey;
  }

  /** Reads the public key in {@code pemFile}; {@code parameter} names the file in errors. */
  public static VerificationKey load(Path pemFile, String parameter) {
    List<Pem.Block> blocks = Pem.read(pemFile, parameter, EXPECTED);
    String where = parameter + " " + pemFile;
    Pem.Block block = blocks.stream().filter(b -> b.type().equals("PUBLIC KEY")).findFirst()
        .orElseThrow(() -> new InvalidInputException(parameter, where + " holds a PEM block '" + blocks.get(0).type()
            + "', not a public key; expected " + EXPECTED));
    String algorithm;
    try {
      List<Der.Element> algorithmIdentifier = Der.parse(block.der()).children().get(0).children();
      algorithm = Der.oid(algorithmIdentifier.get(0).content());
      if (algorithm.equals(P256.EC_PUBLIC_KEY_OID) && algorithmIdentifier.size() > 1) {
        algorithm = Der.oid(algorithmIdentifier.get(1).content());
      }
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new InvalidInputException(parameter, where + " is not a SubjectPublicKeyInfo structure; expected "
          + EXPECTED);
    }
    if (!algorithm.equals(P256.CURVE_OID)) {
      throw new InvalidInputException(parameter, where + " is " + P256.describe(algorithm) + "; only " + EXPECTED);
    }
    try {
      return of(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(block.der())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidInputException(parameter, where + " is not a valid P-256 public key; expected " + EXPECTED);
    }
  }

  /** Wraps a P-256 public key the JDK already holds. */
  public static VerificationKey of(PublicKey publicKey) {
    if (!(publicKey instanceof ECPublicKey ec) || !P256.isP256(ec)) {
      throw new IllegalArgumentException("not an ECDSA P-256 public key: " + publicKey.getAlgorithm());
    }
    return new VerificationKey(publicKey);
  }

  /** True when {@code derSignature} is this key's SHA256withECDSA signature over exactly {@code data}. */
  public boolean verifies(byte[] data, byte[] derSignature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(derSignature);
    } catch (SignatureException e) {
      // not a DER ECDSA signature at all: as false as a signature by another key
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot check an ECDSA P-256 signature: " + e.getMessage(), e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The key in PEM: {@code PUBLIC KEY} around the DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7). */
  public String pem() {
    return Pem.write("PUBLIC KEY", publicKey.getEncoded());
  }

  /**
   * The hint a Sigstore bundle names a public key by ({@code verificationMaterial.publicKey.hint}): the standard
   * base64 of the SHA-256 of the DER SubjectPublicKeyInfo, as cosign computes it (cosign
   * internal/key/svkeypair.go, NewSignerVerifierKeypair, and cmd/cosign/cli/verify/verify_bundle.go).
   */
  public String hint() {
    return Base64.getEncoder().encodeToString(Digest.newSha256().digest(publicKey.getEncoded()));
  }

  @Override
  public String toString() {
    return "VerificationKey[ECDSA P-256, hint " + hint() + "]";
  }
}
