package io.github.multiarch.sign;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * An ECDSA P-256 private key read from a PEM file, and the signatures it makes (SHA256withECDSA, ASN.1 DER, as
 * cosign writes and checks them). Accepted files:
 * <ul>
 *   <li>PKCS#8 {@code PRIVATE KEY} (RFC 5208), as {@code openssl genpkey -algorithm EC -pkeyopt
 *       ec_paramgen_curve:P-256} writes;
 *   <li>encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} (RFC 5958 section 3 with PBES2, RFC 8018), as the same
 *       command with {@code -aes-256-cbc -pass …} writes;
 *   <li>SEC1 {@code EC PRIVATE KEY} (RFC 5915), unencrypted, as {@code openssl ecparam -genkey} writes.
 * </ul>
 * cosign's own {@code ENCRYPTED SIGSTORE PRIVATE KEY} (scrypt and NaCl secretbox, cosign
 * pkg/cosign/keys.go) is refused with a way out: no tool turns it back into PKCS#8, but cosign takes a PKCS#8
 * key in ({@code cosign import-key-pair}), so one key can serve both.
 *
 * <p>No message and no {@link #toString()} shows key bytes or the password.
 */
public final class SigningKey {
  private static final String EXPECTED = "an ECDSA P-256 private key in PEM: PKCS#8 'PRIVATE KEY', encrypted PKCS#8 "
      + "'ENCRYPTED PRIVATE KEY' or SEC1 'EC PRIVATE KEY' (make one with: openssl genpkey -algorithm EC -pkeyopt "
      + "ec_paramgen_curve:P-256 -aes-256-cbc -out signing-key.pem)";

  private final PrivateKey privateKey;
  private final VerificationKey verificationKey;

  private SigningKey(PrivateKey privateKey, VerificationKey verificationKey) {
    this.privateKey = privateKey;
    this.verificationKey = verificationKey;
  }

  /**
   * Reads the private key in {@code pemFile}.
   *
   * @param password the password of an encrypted key, or null; the caller keeps it and may clear it afterwards
   * @param parameter the parameter that named the file, for {@link InvalidInputException}s
   */
  public static SigningKey load(Path pemFile, char[] password, String parameter) {
    List<Pem.Block> blocks = Pem.read(pemFile, parameter, EXPECTED);
    // `openssl ecparam -genkey` writes an EC PARAMETERS block before the key: the key's own block names its curve
    Pem.Block block = blocks.stream().filter(b -> !b.type().equals("EC PARAMETERS")).findFirst()
        .orElseThrow(() -> new InvalidInputException(parameter, parameter + " " + pemFile
            + " holds only EC parameters, no key; expected " + EXPECTED));
    String where = parameter + " " + pemFile;
    byte[] pkcs8 = switch (block.type()) {
      case "PRIVATE KEY" -> block.der();
      case "ENCRYPTED PRIVATE KEY" -> decrypt(block.der(), password, where, parameter);
      case "EC PRIVATE KEY" -> {
        if (block.hasHeaders()) {
          // RFC 1421 "Proc-Type: 4,ENCRYPTED": OpenSSL's legacy encryption with an MD5-based key derivation
          throw new InvalidInputException(parameter, where + " is a SEC1 EC key in OpenSSL's legacy encrypted form; "
              + "convert it to encrypted PKCS#8 with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in <key> -out <new key>");
        }
        yield sec1ToPkcs8(block.der(), where, parameter);
      }
      case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> throw new InvalidInputException(
          parameter, where + " is a cosign key (scrypt and secretbox encryption), which is not read here; make a "
          + "P-256 key with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -out "
          + "signing-key.pem, and for cosign import that same file with: cosign import-key-pair --key "
          + "signing-key.pem");
      case "RSA PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY" -> throw new InvalidInputException(parameter,
          where + " is a '" + block.type() + "'; only " + EXPECTED);
      default -> throw new InvalidInputException(parameter, where + " holds a PEM block '" + block.type()
          + "', not a private key; expected " + EXPECTED);
    };
    try {
      return fromPkcs8(pkcs8, where, parameter);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** Signs {@code data}: SHA-256, then ECDSA; the signature in ASN.1 DER (RFC 3279 section 2.2.3). */
  public byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make an ECDSA P-256 signature: " + e.getMessage(), e);
    }
  }

  public PublicKey publicKey() {
    return verificationKey.publicKey();
  }

  /** The public key in PEM ({@code PUBLIC KEY}, SubjectPublicKeyInfo), as cosign's {@code cosign.pub} holds it. */
  public String publicKeyPem() {
    return verificationKey.pem();
  }

  /** The public half, for checking signatures. */
  public VerificationKey verificationKey() {
    return verificationKey;
  }

  /** The key hint a Sigstore bundle names this key by: see {@link VerificationKey#hint()}. */
  public String hint() {
    return verificationKey.hint();
  }

  @Override
  public String toString() {
    // the public half only: this may be logged
    return "SigningKey[ECDSA P-256, hint " + hint() + "]";
  }

  private static byte[] decrypt(byte[] der, char[] password, String where, String parameter) {
    if (password == null || password.length == 0) {
      throw new InvalidInputException(parameter, where + " is an encrypted key and no password was given for the "
          + "encrypted key");
    }
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (IOException e) {
      throw new InvalidInputException(parameter, where + " is marked 'ENCRYPTED PRIVATE KEY' but is not an "
          + "EncryptedPrivateKeyInfo structure; expected " + EXPECTED);
    }
    // For PBES2 the JDK reports the scheme's full name from the parameters (e.g. PBEWithHmacSHA256AndAES_256,
    // which is what `openssl genpkey -aes-256-cbc` writes: PBKDF2 with HMAC-SHA256, AES-256-CBC); the bare
    // algorithm name "PBES2" names no cipher the JDK could make.
    AlgorithmParameters parameters = info.getAlgParameters();
    String scheme = parameters != null ? parameters.toString() : info.getAlgName();
    PBEKeySpec spec = new PBEKeySpec(password);
    try {
      SecretKey secret = SecretKeyFactory.getInstance(scheme).generateSecret(spec);
      Cipher cipher = Cipher.getInstance(scheme);
      cipher.init(Cipher.DECRYPT_MODE, secret, parameters);
      return info.getKeySpec(cipher).getEncoded();
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new InvalidInputException(parameter, where + " is encrypted with " + scheme + ", which this JDK cannot "
          + "decrypt; re-encrypt it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in <key> -out <new key>");
    } catch (GeneralSecurityException e) {
      // a wrong password shows as bad padding or as garbage that is no PKCS#8 structure: the two cannot be told
      // apart, and the cause's message is left out in case it quotes decrypted bytes
      throw new InvalidInputException(parameter, "could not decrypt " + where + ": wrong password, or not an "
          + "encrypted PKCS#8 key of the kind openssl writes");
    } finally {
      spec.clearPassword();
    }
  }

  /**
   * Wraps a SEC1 ECPrivateKey (RFC 5915 section 3) into PKCS#8 PrivateKeyInfo (RFC 5208 section 5), the form
   * the JDK reads: version 0, the AlgorithmIdentifier of the curve the SEC1 key names, the SEC1 bytes.
   */
  private static byte[] sec1ToPkcs8(byte[] sec1, String where, String parameter) {
    String curve = null;
    try {
      for (Der.Element field : Der.parse(sec1).children()) {
        if (field.tag() == 0xa0) { // [0] ECParameters: the curve's named OID
          Der.Element named = Der.parse(field.content());
          if (named.tag() == Der.OID) {
            curve = Der.oid(named.content());
          }
        }
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(parameter, where + " is marked 'EC PRIVATE KEY' but is not a SEC1 key; "
          + "expected " + EXPECTED);
    }
    if (curve == null) {
      throw new InvalidInputException(parameter, where + " is a SEC1 EC key that does not name its curve; "
          + "expected " + EXPECTED);
    }
    if (!curve.equals(P256.CURVE_OID)) {
      throw new InvalidInputException(parameter, where + " is " + P256.describe(curve) + "; only " + EXPECTED);
    }
    return Der.element(Der.SEQUENCE, Der.element(Der.INTEGER, new byte[] {0}), P256.algorithmIdentifier(),
        Der.element(Der.OCTET_STRING, sec1));
  }

  private static SigningKey fromPkcs8(byte[] pkcs8, String where, String parameter) {
    byte[] sec1;
    try {
      List<Der.Element> fields = Der.parse(pkcs8).children();
      List<Der.Element> algorithm = fields.get(1).children();
      String algorithmOid = Der.oid(algorithm.get(0).content());
      if (!algorithmOid.equals(P256.EC_PUBLIC_KEY_OID)) {
        throw new InvalidInputException(parameter, where + " is " + P256.describe(algorithmOid) + "; only "
            + EXPECTED);
      }
      String curve = algorithm.size() > 1 && algorithm.get(1).tag() == Der.OID ? Der.oid(algorithm.get(1).content())
          : "(none named)";
      if (!curve.equals(P256.CURVE_OID)) {
        throw new InvalidInputException(parameter, where + " is " + P256.describe(curve) + "; only " + EXPECTED);
      }
      sec1 = fields.get(2).content();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new InvalidInputException(parameter, where + " is not a PKCS#8 private key structure; expected "
          + EXPECTED);
    }
    PrivateKey privateKey;
    try {
      privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new InvalidInputException(parameter, where + " is not a valid EC private key; expected " + EXPECTED);
    }
    if (!(privateKey instanceof ECPrivateKey ec) || !P256.isP256(ec)) {
      throw new InvalidInputException(parameter, where + " is not on curve P-256; only " + EXPECTED);
    }
    PublicKey publicKey = publicKeyOf(sec1, where, parameter);
    SigningKey key = new SigningKey(privateKey, VerificationKey.of(publicKey));
    // the public key is read from the file, not derived: make sure it belongs to the private key
    byte[] probe = "multiarch signing key pair check".getBytes(StandardCharsets.US_ASCII);
    if (!key.verificationKey.verifies(probe, key.sign(probe))) {
      throw new InvalidInputException(parameter, where + " holds a public key that does not belong to its "
          + "private key");
    }
    return key;
  }

  /**
   * The public key stored in the SEC1 structure's optional {@code [1] publicKey} (RFC 5915 section 3), which
   * openssl, Go's x509 package (and so cosign) always write.
   */
  private static PublicKey publicKeyOf(byte[] sec1, String where, String parameter) {
    try {
      for (Der.Element field : Der.parse(sec1).children()) {
        if (field.tag() == 0xa1) {
          Der.Element bits = Der.parse(field.content());
          if (bits.tag() == Der.BIT_STRING) {
            return P256.publicKey(bits.content());
          }
        }
      }
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new InvalidInputException(parameter, where + " holds a public key that is not a P-256 point");
    }
    throw new InvalidInputException(parameter, where + " holds no public key next to the private key; write the "
        + "file again with: openssl pkey -in <key> -out <new key>");
  }
}
