package io.github.multiarch.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
  private static final String PARAMETER = "signingKey";
  private static final String PASSWORD = "correct-horse-7391";

  @TempDir
  Path dir;

  @Test
  void unencryptedPkcs8SignsWhatOpensslVerifies() throws IOException {
    Path keyFile = OpenSsl.p256(dir, "key.pem");
    SigningKey key = SigningKey.load(keyFile, null, PARAMETER);
    Path pub = OpenSsl.publicKey(keyFile, null);
    assertEquals(Files.readString(pub), key.publicKeyPem(), "the public key PEM is openssl's, byte for byte");
    assertSignatureVerifiedByOpenssl(key, pub);
  }

  @Test
  void hintIsBase64OfSha256OfTheDerPublicKey() throws Exception {
    Path keyFile = OpenSsl.p256(dir, "key.pem");
    Path der = dir.resolve("pub.der");
    OpenSsl.run("pkey", "-in", keyFile.toString(), "-pubout", "-outform", "DER", "-out", der.toString()).check();
    String expected = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(der)));
    SigningKey key = SigningKey.load(keyFile, null, PARAMETER);
    assertEquals(expected, key.hint());
    assertEquals(expected, key.verificationKey().hint());
  }

  @Test
  void encryptedPkcs8Aes256CbcLoadsWithItsPassword() throws IOException {
    Path keyFile = dir.resolve("encrypted.pem");
    OpenSsl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass",
        "pass:" + PASSWORD, "-out", keyFile.toString()).check();
    assertTrue(Files.readString(keyFile).contains("BEGIN ENCRYPTED PRIVATE KEY"));
    SigningKey key = SigningKey.load(keyFile, PASSWORD.toCharArray(), PARAMETER);
    Path pub = OpenSsl.publicKey(keyFile, PASSWORD);
    assertEquals(Files.readString(pub), key.publicKeyPem());
    assertSignatureVerifiedByOpenssl(key, pub);
  }

  @Test
  void wrongPasswordIsRefusedWithoutShowingIt() {
    Path keyFile = dir.resolve("encrypted.pem");
    OpenSsl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass",
        "pass:" + PASSWORD, "-out", keyFile.toString()).check();
    String wrong = "wrong-battery-staple-5512";
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SigningKey.load(keyFile, wrong.toCharArray(), PARAMETER));
    assertEquals(PARAMETER, e.parameter());
    assertTrue(e.getMessage().contains("could not decrypt"), e.getMessage());
    assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void encryptedKeyWithoutPasswordIsRefused() {
    Path keyFile = dir.resolve("encrypted.pem");
    OpenSsl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass",
        "pass:" + PASSWORD, "-out", keyFile.toString()).check();
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SigningKey.load(keyFile, null, PARAMETER));
    assertEquals(PARAMETER, e.parameter());
    assertTrue(e.getMessage().contains("no password was given for the encrypted key"), e.getMessage());
  }

  @Test
  void sec1EcPrivateKeyIsWrappedAndLoads() throws IOException {
    Path keyFile = dir.resolve("sec1.pem");
    OpenSsl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", keyFile.toString()).check();
    assertTrue(Files.readString(keyFile).contains("BEGIN EC PRIVATE KEY"));
    SigningKey key = SigningKey.load(keyFile, null, PARAMETER);
    assertSignatureVerifiedByOpenssl(key, OpenSsl.publicKey(keyFile, null));
  }

  @Test
  void sec1WithLeadingEcParametersBlockLoads() throws IOException {
    Path keyFile = dir.resolve("sec1-params.pem");
    OpenSsl.run("ecparam", "-name", "prime256v1", "-genkey", "-out", keyFile.toString()).check();
    assertTrue(Files.readString(keyFile).contains("BEGIN EC PARAMETERS"));
    SigningKey key = SigningKey.load(keyFile, null, PARAMETER);
    assertSignatureVerifiedByOpenssl(key, OpenSsl.publicKey(keyFile, null));
  }

  @Test
  void rsaKeyIsRefused() {
    Path keyFile = dir.resolve("rsa.pem");
    OpenSsl.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyFile.toString())
        .check();
    assertRefused(keyFile, "RSA");
  }

  @Test
  void p384KeyIsRefused() {
    Path keyFile = dir.resolve("p384.pem");
    OpenSsl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", keyFile.toString())
        .check();
    assertRefused(keyFile, "P-384");
  }

  @Test
  void ed25519KeyIsRefused() {
    Path keyFile = dir.resolve("ed25519.pem");
    OpenSsl.run("genpkey", "-algorithm", "ED25519", "-out", keyFile.toString()).check();
    assertRefused(keyFile, "Ed25519");
  }

  @Test
  void garbageFileIsRefused() throws IOException {
    Path keyFile = dir.resolve("garbage.pem");
    Files.write(keyFile, "this is not a key\n\u0000\u0001\u0002".getBytes(StandardCharsets.UTF_8));
    assertRefused(keyFile, "not a PEM file");
  }

  @Test
  void missingFileIsRefused() {
    assertRefused(dir.resolve("absent.pem"), "does not exist");
  }

  @Test
  void cosignOwnKeyFormatIsRefusedWithAWayOut() throws IOException {
    Path keyFile = dir.resolve("cosign.key");
    Files.writeString(keyFile, "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString("{\"kdf\":{\"name\":\"scrypt\"}}".getBytes(StandardCharsets.UTF_8))
        + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    InvalidInputException e = assertRefused(keyFile, "cosign import-key-pair");
    assertTrue(e.getMessage().contains("openssl genpkey"), e.getMessage());
  }

  @Test
  void toStringShowsNoKeyMaterial() throws IOException {
    Path keyFile = OpenSsl.p256(dir, "key.pem");
    SigningKey key = SigningKey.load(keyFile, null, PARAMETER);
    String text = key.toString();
    assertTrue(text.contains(key.hint()), text);
    for (String line : Files.readAllLines(keyFile)) {
      if (!line.startsWith("-----")) {
        assertFalse(text.contains(line.substring(0, 16)), text);
      }
    }
  }

  @Test
  void verificationKeyLoadsOpensslPublicKeyAndRefusesAPrivateKey() {
    Path keyFile = OpenSsl.p256(dir, "key.pem");
    SigningKey key = SigningKey.load(keyFile, null, PARAMETER);
    VerificationKey loaded = VerificationKey.load(OpenSsl.publicKey(keyFile, null), "verificationKey");
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    assertTrue(loaded.verifies(data, key.sign(data)));
    assertFalse(loaded.verifies("other".getBytes(StandardCharsets.UTF_8), key.sign(data)));
    assertFalse(loaded.verifies(data, new byte[] {1, 2, 3}));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> VerificationKey.load(keyFile, "verificationKey"));
    assertEquals("verificationKey", e.parameter());
  }

  @Test
  void verificationKeyRefusesAnRsaPublicKey() {
    Path keyFile = dir.resolve("rsa.pem");
    OpenSsl.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyFile.toString())
        .check();
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> VerificationKey.load(OpenSsl.publicKey(keyFile, null), "verificationKey"));
    assertTrue(e.getMessage().contains("RSA"), e.getMessage());
  }

  private void assertSignatureVerifiedByOpenssl(SigningKey key, Path pub) throws IOException {
    Path data = dir.resolve("data");
    Files.writeString(data, "some bytes to sign");
    Path sig = dir.resolve("data.sig");
    Files.write(sig, key.sign(Files.readAllBytes(data)));
    OpenSsl.verify(pub, sig, data).check();
  }

  private static InvalidInputException assertRefused(Path keyFile, String expectedText) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SigningKey.load(keyFile, null, PARAMETER));
    assertEquals(PARAMETER, e.parameter());
    assertTrue(e.getMessage().contains(expectedText), e.getMessage());
    assertTrue(e.getMessage().contains(PARAMETER), e.getMessage());
    return e;
  }
}
