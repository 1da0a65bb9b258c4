package io.github.multiarch.sign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.OciJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A signature as cosign 3 writes it by default: a Sigstore bundle v0.3 holding a DSSE envelope over an in-toto
 * statement about the signed manifest, attached as an OCI 1.1 referrer (cosign specs/BUNDLE_SPEC.md).
 *
 * <p>What cosign does, and this follows: cmd/cosign/cli/sign/sign.go {@code signDigestBundle} makes the
 * statement (subject: the manifest digest; predicate type {@value #PREDICATE_TYPE}; empty predicate);
 * cmd/cosign/cli/signcommon/common.go {@code NewAttestationBundle} signs it as DSSE with payload type
 * {@value #PAYLOAD_TYPE} through sigstore-go's pkg/sign (signer.go {@code Bundle}, content.go {@code DSSEData}),
 * which names a key-pair signer by {@code verificationMaterial.publicKey.hint} and, with no transparency log or
 * timestamp authority, adds no tlog entries and no timestamps; pkg/oci/remote/write.go
 * {@code WriteAttestationNewBundleFormat} attaches it with the annotations written here.
 */
public final class SigstoreBundle {
  /** The bundle's media type, also the referrer's artifactType and its one layer's media type. */
  public static final String BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  /** The older spelling of the same bundle version, which readers still meet. */
  public static final String BUNDLE_MEDIA_TYPE_LEGACY = "application/vnd.dev.sigstore.bundle+json;version=0.3";
  /** cosign's predicate type for an image signature (cosign pkg/types/predicate.go, CosignSignPredicateType). */
  public static final String PREDICATE_TYPE = "https://sigstore.dev/cosign/sign/v1";
  /** in-toto Statement v1 (in-toto attestation spec, spec/v1/statement.md). */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  /** The DSSE payload type of an in-toto statement (in-toto spec/v1/envelope.md). */
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  public static final String ANNOTATION_CREATED = "org.opencontainers.image.created";
  public static final String ANNOTATION_CONTENT = "dev.sigstore.bundle.content";
  public static final String ANNOTATION_PREDICATE_TYPE = "dev.sigstore.bundle.predicateType";
  /** {@value #ANNOTATION_CONTENT} of a bundle holding a DSSE envelope. */
  public static final String CONTENT_DSSE = "dsse-envelope";

  private SigstoreBundle() {}

  /**
   * The referrer cosign 3 pushes for a key-based {@code cosign sign} without transparency-log upload: artifact
   * type {@value #BUNDLE_MEDIA_TYPE}, the empty config, one layer of that media type holding the bundle, and the
   * annotations {@value #ANNOTATION_CREATED} (RFC 3339, seconds, UTC), {@value #ANNOTATION_CONTENT}
   * {@code dsse-envelope} and {@value #ANNOTATION_PREDICATE_TYPE} {@value #PREDICATE_TYPE}.
   *
   * <p>One difference from cosign's bytes: go-containerregistry also copies {@code artifactType} into the
   * config descriptor; the OCI spec gives it no meaning there, and {@link Artifact#referrer} leaves it out.
   */
  public static Artifact referrer(Descriptor signedManifest, SigningKey key, Instant created) {
    byte[] bundle = bundle(signedManifest.digest(), key);
    return Artifact.referrer(BUNDLE_MEDIA_TYPE, signedManifest,
        List.of(new Artifact.Layer(BUNDLE_MEDIA_TYPE, bundle, Map.of())),
        Map.of(ANNOTATION_CREATED, created.truncatedTo(ChronoUnit.SECONDS).toString(),
            ANNOTATION_CONTENT, CONTENT_DSSE,
            ANNOTATION_PREDICATE_TYPE, PREDICATE_TYPE));
  }

  /**
   * The bundle JSON: {@code mediaType}, {@code verificationMaterial.publicKey.hint} and the
   * {@code dsseEnvelope} (payload and signature in standard base64, one signature without a key id, as
   * sigstore-go writes it). Field names follow the protobuf JSON mapping of sigstore's protobuf-specs
   * (protos/sigstore_bundle.proto, envelope.proto).
   */
  public static byte[] bundle(Digest signedManifest, SigningKey key) {
    byte[] statement = statement(signedManifest);
    byte[] signature = key.sign(preAuthenticationEncoding(PAYLOAD_TYPE, statement));
    ObjectNode bundle = OciJson.object();
    bundle.put("mediaType", BUNDLE_MEDIA_TYPE);
    bundle.putObject("verificationMaterial").putObject("publicKey").put("hint", key.hint());
    ObjectNode envelope = bundle.putObject("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString(statement));
    envelope.put("payloadType", PAYLOAD_TYPE);
    envelope.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(signature));
    return OciJson.toBytes(bundle);
  }

  /**
   * The in-toto v1 statement cosign signs for an image: one subject, by digest only (cosign names it no
   * further), the predicate type {@value #PREDICATE_TYPE} and an empty predicate.
   */
  public static byte[] statement(Digest signedManifest) {
    ObjectNode statement = OciJson.object();
    statement.put("_type", STATEMENT_TYPE);
    statement.putArray("subject").addObject().putObject("digest")
        .put(signedManifest.algorithm(), signedManifest.hex());
    statement.put("predicateType", PREDICATE_TYPE);
    statement.putObject("predicate");
    return OciJson.toBytes(statement);
  }

  /**
   * DSSE's pre-authentication encoding, the bytes actually signed (DSSE protocol.md):
   * {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths in ASCII decimal bytes.
   */
  public static byte[] preAuthenticationEncoding(String payloadType, byte[] body) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }
}
