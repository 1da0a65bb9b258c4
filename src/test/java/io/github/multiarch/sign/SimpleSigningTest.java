package io.github.multiarch.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimpleSigningTest {
  private static final Digest IMAGE = Digest.sha256("an image manifest");
  private static final Digest OTHER_IMAGE = Digest.sha256("another image manifest");
  private static final String REFERENCE = "localhost:5000/team/app";

  @TempDir
  Path dir;

  @Test
  void payloadIsCosignsSimpleSigningJson() {
    String payload = new String(SimpleSigning.payload(REFERENCE, IMAGE), StandardCharsets.UTF_8);
    assertEquals("{\"critical\":{\"identity\":{\"docker-reference\":\"localhost:5000/team/app\"},\"image\":"
        + "{\"docker-manifest-digest\":\"" + IMAGE + "\"},\"type\":\"cosign container image signature\"},"
        + "\"optional\":null}", payload);
  }

  @Test
  void tagIsTheDigestWithADashAndSig() {
    assertEquals("sha256-" + IMAGE.hex() + ".sig", SimpleSigning.tag(IMAGE));
  }

  @Test
  void signatureOfThePayloadIsVerifiedByOpensslAndOnlyForItsKeyAndDigest() throws Exception {
    Path keyFile = OpenSsl.p256(dir, "key.pem");
    SigningKey key = SigningKey.load(keyFile, null, "signingKey");
    byte[] payload = SimpleSigning.payload(REFERENCE, IMAGE);
    Path payloadFile = Files.write(dir.resolve("payload.json"), payload);
    Path sig = Files.write(dir.resolve("payload.sig"), key.sign(payload));

    OpenSsl.verify(OpenSsl.publicKey(keyFile, null), sig, payloadFile).check();

    Path otherPub = OpenSsl.publicKey(OpenSsl.p256(dir, "other.pem"), null);
    assertNotEquals(0, OpenSsl.verify(otherPub, sig, payloadFile).exitCode(), "another key must not verify");
    Path otherPayload = Files.write(dir.resolve("other-payload.json"), SimpleSigning.payload(REFERENCE, OTHER_IMAGE));
    assertNotEquals(0, OpenSsl.verify(OpenSsl.publicKey(keyFile, null), sig, otherPayload).exitCode(),
        "the signature must not cover a payload of another digest");
  }

  @Test
  void signatureManifestFollowsTheSignatureSpec() {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    byte[] payload = SimpleSigning.payload(REFERENCE, IMAGE);
    String signature = Base64.getEncoder().encodeToString(key.sign(payload));

    Artifact artifact = SimpleSigning.signatureManifest(null, payload, signature, null);

    ImageManifest manifest = ImageManifest.parse(artifact.manifestBytes(), null, "sig manifest");
    assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
    assertEquals(MediaTypes.OCI_CONFIG, manifest.config().mediaType());
    assertEquals(1, manifest.layers().size());
    Descriptor layer = manifest.layers().get(0);
    assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.mediaType());
    assertEquals(Digest.sha256(payload), layer.digest());
    assertEquals(payload.length, layer.size());
    assertEquals(Map.of("dev.cosignproject.cosign/signature", signature), layer.annotations());
    assertTrue(manifest.annotations().isEmpty());
    assertEquals(Digest.sha256(artifact.manifestBytes()), artifact.descriptor().digest());

    JsonNode config = OciJson.parse(artifact.blobs().get(manifest.config().digest()), "config");
    assertEquals("layers", config.path("rootfs").path("type").asText());
    assertEquals(layer.digest().toString(), config.path("rootfs").path("diff_ids").get(0).asText());
    assertEquals("0001-01-01T00:00:00Z", config.path("created").asText());
    assertEquals("", config.path("architecture").asText());
    assertEquals("", config.path("os").asText());
    assertEquals(1, config.path("history").size());
    assertTrue(config.path("config").isObject());
    assertEquals(Digest.sha256(artifact.blobs().get(manifest.config().digest())), manifest.config().digest());
    assertArrayEquals(payload, artifact.blobs().get(layer.digest()));

    SignatureVerifier verifier = new SignatureVerifier(key.verificationKey(), IMAGE);
    assertEquals(SignatureVerifier.Status.VALID, verifier.checkSimpleSigning(artifact).status());
  }

  @Test
  void anotherSignatureIsAppendedAndAnIdenticalOneIsNot() {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    SigningKey other = SigningKey.load(OpenSsl.p256(dir, "other.pem"), null, "signingKey");
    byte[] payload = SimpleSigning.payload(REFERENCE, IMAGE);
    String first = Base64.getEncoder().encodeToString(key.sign(payload));
    Artifact one = SimpleSigning.signatureManifest(null, payload, first, null);

    assertSame(one, SimpleSigning.signatureManifest(one, payload, first, null));
    assertTrue(SimpleSigning.alreadySigned(one, payload, key.verificationKey()));
    assertFalse(SimpleSigning.alreadySigned(one, payload, other.verificationKey()));

    String second = Base64.getEncoder().encodeToString(other.sign(payload));
    Artifact two = SimpleSigning.signatureManifest(one, payload, second, null);
    ImageManifest manifest = ImageManifest.parse(two.manifestBytes(), null, "sig manifest");
    assertEquals(2, manifest.layers().size());
    assertEquals(first, manifest.layers().get(0).annotations().get(SimpleSigning.SIGNATURE_ANNOTATION));
    assertEquals(second, manifest.layers().get(1).annotations().get(SimpleSigning.SIGNATURE_ANNOTATION));
    JsonNode config = OciJson.parse(two.blobs().get(manifest.config().digest()), "config");
    assertEquals(2, config.path("rootfs").path("diff_ids").size());
    assertEquals(2, config.path("history").size());
    assertTrue(SignatureVerifier.Status.VALID == new SignatureVerifier(other.verificationKey(), IMAGE)
        .checkSimpleSigning(two).status());
  }

  @Test
  void verifierRefusesAnotherKeyAndAnotherDigest() {
    SigningKey key = SigningKey.load(OpenSsl.p256(dir, "key.pem"), null, "signingKey");
    SigningKey other = SigningKey.load(OpenSsl.p256(dir, "other.pem"), null, "signingKey");
    byte[] payload = SimpleSigning.payload(REFERENCE, IMAGE);
    Artifact artifact = SimpleSigning.signatureManifest(null, payload,
        Base64.getEncoder().encodeToString(key.sign(payload)), null);

    SignatureVerifier.Result wrongKey = new SignatureVerifier(other.verificationKey(), IMAGE)
        .checkSimpleSigning(artifact);
    assertEquals(SignatureVerifier.Status.INVALID_SIGNATURE, wrongKey.status(), wrongKey.message());
    assertTrue(wrongKey.message().contains(other.hint()), wrongKey.message());

    SignatureVerifier.Result wrongSubject = new SignatureVerifier(key.verificationKey(), OTHER_IMAGE)
        .checkSimpleSigning(artifact);
    assertEquals(SignatureVerifier.Status.WRONG_SUBJECT, wrongSubject.status(), wrongSubject.message());
    assertTrue(wrongSubject.message().contains(IMAGE.toString()), wrongSubject.message());
  }
}
