package io.github.multiarch.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles are judged by Sigstore's own JavaScript verifier (src/test/sigstore/verify-bundle.mjs), offline. */
class SigstoreBundleTest {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
  private static final Path SIGSTORE = PROJECT.resolve("src/test/sigstore");
  private static final Descriptor IMAGE = new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256("an image index"), 1234);
  private static final Instant CREATED = Instant.parse("2024-05-06T07:08:09.123Z");

  @TempDir
  Path dir;

  @BeforeAll
  static void installVerifier() {
    // the same script the build's test set-up runs: installs node, npm and the pinned modules when missing
    Tools.run(600, List.of("bash", PROJECT.resolve("src/test/tools/ensure-test-tools.sh").toString())).check();
    Tools.require("node", "nodejs");
  }

  @Test
  void referrerIsWhatCosignWrites() {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    Artifact referrer = SigstoreBundle.referrer(IMAGE, key, CREATED);

    ImageManifest manifest = ImageManifest.parse(referrer.manifestBytes(), null, "referrer");
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", Artifact.artifactType(manifest));
    assertEquals(MediaTypes.OCI_EMPTY, manifest.config().mediaType());
    assertEquals(IMAGE.digest(), Artifact.subject(manifest).digest());
    assertEquals(IMAGE.mediaType(), Artifact.subject(manifest).mediaType());
    assertEquals(1, manifest.layers().size());
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", manifest.layers().get(0).mediaType());
    assertEquals(Map.of("org.opencontainers.image.created", "2024-05-06T07:08:09Z",
        "dev.sigstore.bundle.content", "dsse-envelope",
        "dev.sigstore.bundle.predicateType", "https://sigstore.dev/cosign/sign/v1"), manifest.annotations());

    JsonNode bundle = OciJson.parse(referrer.blobs().get(manifest.layers().get(0).digest()), "bundle");
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", bundle.path("mediaType").asText());
    assertEquals(key.hint(), bundle.path("verificationMaterial").path("publicKey").path("hint").asText());
    assertTrue(bundle.path("verificationMaterial").path("tlogEntries").isMissingNode());
    assertEquals("application/vnd.in-toto+json", bundle.path("dsseEnvelope").path("payloadType").asText());

    JsonNode statement = OciJson.parse(Base64.getDecoder().decode(
        bundle.path("dsseEnvelope").path("payload").asText()), "statement");
    assertEquals("https://in-toto.io/Statement/v1", statement.path("_type").asText());
    assertEquals("https://sigstore.dev/cosign/sign/v1", statement.path("predicateType").asText());
    assertEquals(1, statement.path("subject").size());
    assertEquals(IMAGE.digest().hex(), statement.path("subject").get(0).path("digest").path("sha256").asText());

    SignatureVerifier.Result result = new SignatureVerifier(key.verificationKey(), IMAGE.digest())
        .checkBundleReferrer(referrer);
    assertEquals(SignatureVerifier.Status.VALID, result.status(), result.message());
  }

  @Test
  void sigstoreVerifierAcceptsTheBundleWithOurKey() throws Exception {
    Path keyFile = OpenSsl.p256(dir, "key.pem");
    SigningKey key = SigningKey.load(keyFile, null, "signingKey");
    Path bundle = Files.write(dir.resolve("bundle.json"), SigstoreBundle.bundle(IMAGE.digest(), key));
    Path pub = Files.writeString(dir.resolve("key.pub"), key.publicKeyPem());

    Tools.Result accepted = verifyBundle(bundle, pub, IMAGE.digest().hex());
    assertEquals(0, accepted.exitCode(), accepted.describe());
    Tools.Result otherSubject = verifyBundle(bundle, pub, Digest.sha256("other").hex());
    assertNotEquals(0, otherSubject.exitCode(), otherSubject.describe());
  }

  @Test
  void sigstoreVerifierRefusesAnotherKey() throws Exception {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    SigningKey other = SigningKey.load(OpenSsl.p256(dir, "other.pem"), null, "signingKey");
    byte[] bytes = SigstoreBundle.bundle(IMAGE.digest(), key);
    Path bundle = Files.write(dir.resolve("bundle.json"), bytes);
    Path otherPub = Files.writeString(dir.resolve("other.pub"), other.publicKeyPem());

    Tools.Result refused = verifyBundle(bundle, otherPub, null);
    assertNotEquals(0, refused.exitCode(), refused.describe());

    // the same bundle naming the other key's hint, so the verifier does look up that key and check with it
    ObjectNode renamed = (ObjectNode) OciJson.parse(bytes, "bundle");
    ((ObjectNode) renamed.path("verificationMaterial").path("publicKey")).put("hint", other.hint());
    Path renamedBundle = Files.write(dir.resolve("renamed.json"), OciJson.toBytes(renamed));
    Tools.Result stillRefused = verifyBundle(renamedBundle, otherPub, null);
    assertNotEquals(0, stillRefused.exitCode(), stillRefused.describe());
    assertTrue(stillRefused.stderr().contains("signature verification failed"), stillRefused.describe());

    SignatureVerifier.Result ours = new SignatureVerifier(other.verificationKey(), IMAGE.digest())
        .checkBundle(bytes);
    assertEquals(SignatureVerifier.Status.INVALID_SIGNATURE, ours.status(), ours.message());
  }

  @Test
  void sigstoreVerifierRefusesAnAlteredEnvelope() throws Exception {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    ObjectNode bundle = (ObjectNode) OciJson.parse(SigstoreBundle.bundle(IMAGE.digest(), key), "bundle");
    ObjectNode envelope = (ObjectNode) bundle.path("dsseEnvelope");
    Digest forged = Digest.sha256("a forged image");
    String statement = new String(Base64.getDecoder().decode(envelope.path("payload").asText()),
        StandardCharsets.UTF_8).replace(IMAGE.digest().hex(), forged.hex());
    envelope.put("payload", Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)));
    byte[] altered = OciJson.toBytes(bundle);
    Path file = Files.write(dir.resolve("altered.json"), altered);
    Path pub = Files.writeString(dir.resolve("key.pub"), key.publicKeyPem());

    Tools.Result refused = verifyBundle(file, pub, null);
    assertNotEquals(0, refused.exitCode(), refused.describe());
    assertTrue(refused.stderr().contains("signature verification failed"), refused.describe());

    SignatureVerifier.Result ours = new SignatureVerifier(key.verificationKey(), forged).checkBundle(altered);
    assertEquals(SignatureVerifier.Status.INVALID_SIGNATURE, ours.status(), ours.message());
  }

  @Test
  void ourVerifierTellsAWrongSubjectFromABadSignature() {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    Artifact referrer = SigstoreBundle.referrer(IMAGE, key, CREATED);
    Digest other = Digest.sha256("another image");

    SignatureVerifier.Result wrongReferrer = new SignatureVerifier(key.verificationKey(), other)
        .checkBundleReferrer(referrer);
    assertEquals(SignatureVerifier.Status.WRONG_SUBJECT, wrongReferrer.status(), wrongReferrer.message());
    SignatureVerifier.Result wrongStatement = new SignatureVerifier(key.verificationKey(), other)
        .checkBundle(SigstoreBundle.bundle(IMAGE.digest(), key));
    assertEquals(SignatureVerifier.Status.WRONG_SUBJECT, wrongStatement.status(), wrongStatement.message());
    assertTrue(wrongStatement.message().contains(other.toString()), wrongStatement.message());
  }

  @Test
  void paeIsTheDsseEncoding() {
    assertEquals("DSSEv1 28 application/vnd.in-toto+json 2 {}", new String(
        SigstoreBundle.preAuthenticationEncoding("application/vnd.in-toto+json", "{}".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8));
  }

  private static Tools.Result verifyBundle(Path bundle, Path publicKey, String subjectHex) {
    List<String> command = new ArrayList<>(List.of("node",
        SIGSTORE.resolve("verify-bundle.mjs").toString(), bundle.toString(), publicKey.toString()));
    if (subjectHex != null) {
      command.add(subjectHex);
    }
    return Tools.run(60, command);
  }
}
