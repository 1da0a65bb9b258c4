package io.github.multiarch.sign;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.util.Base64;

/**
 * Checks that a signature is {@code key}'s and is about {@code expectedManifest}: a Sigstore bundle (or the
 * referrer holding one) as {@link SigstoreBundle} writes it, or a legacy {@code .sig} manifest as
 * {@link SimpleSigning} writes it. It checks signatures and subjects only, offline: no transparency log, no
 * certificates.
 */
public final class SignatureVerifier {
  /** What a check found. */
  public enum Status { VALID, INVALID_SIGNATURE, WRONG_SUBJECT }

  /** A check's outcome and, for people, what it is about or what is wrong. */
  public record Result(Status status, String message) {
    public boolean valid() {
      return status == Status.VALID;
    }

    static Result valid(String message) {
      return new Result(Status.VALID, message);
    }

    static Result invalid(String message) {
      return new Result(Status.INVALID_SIGNATURE, message);
    }

    static Result wrongSubject(String message) {
      return new Result(Status.WRONG_SUBJECT, message);
    }
  }

  private final VerificationKey key;
  private final Digest expectedManifest;

  public SignatureVerifier(VerificationKey key, Digest expectedManifest) {
    this.key = key;
    this.expectedManifest = expectedManifest;
  }

  /** Checks a bundle referrer: its subject, then the bundle in its layer. */
  public Result checkBundleReferrer(Artifact referrer) {
    ImageManifest manifest;
    try {
      manifest = ImageManifest.parse(referrer.manifestBytes(), MediaTypes.OCI_MANIFEST, "the bundle referrer");
    } catch (MultiarchException e) {
      return Result.invalid(e.getMessage());
    }
    Descriptor subject = Artifact.subject(manifest);
    if (subject == null || !subject.digest().equals(expectedManifest)) {
      return Result.wrongSubject("the bundle referrer " + referrer.descriptor().digest() + " refers to "
          + (subject == null ? "nothing" : subject.digest()) + ", not " + expectedManifest);
    }
    for (Descriptor layer : manifest.layers()) {
      if (isBundle(layer.mediaType())) {
        byte[] bundle = referrer.blobs().get(layer.digest());
        if (bundle == null || !Digest.sha256(bundle).equals(layer.digest())) {
          return Result.invalid("the bundle referrer " + referrer.descriptor().digest() + " lacks its bundle blob "
              + layer.digest() + " or the blob does not match its digest");
        }
        return checkBundle(bundle);
      }
    }
    return Result.invalid("the referrer " + referrer.descriptor().digest() + " has no layer of media type "
        + SigstoreBundle.BUNDLE_MEDIA_TYPE);
  }

  /** Checks bundle JSON: its DSSE signature over the statement by our key, then the statement's subject. */
  public Result checkBundle(byte[] bundleJson) {
    JsonNode bundle;
    try {
      bundle = OciJson.parseObject(bundleJson, "the Sigstore bundle");
    } catch (MultiarchException e) {
      return Result.invalid(e.getMessage());
    }
    if (!isBundle(OciJson.text(bundle, "mediaType"))) {
      return Result.invalid("the bundle has media type " + OciJson.text(bundle, "mediaType") + ", not "
          + SigstoreBundle.BUNDLE_MEDIA_TYPE);
    }
    JsonNode envelope = bundle.path("dsseEnvelope");
    String payloadType = OciJson.text(envelope, "payloadType");
    if (!SigstoreBundle.PAYLOAD_TYPE.equals(payloadType)) {
      return Result.invalid("the bundle holds no DSSE envelope of payload type " + SigstoreBundle.PAYLOAD_TYPE
          + " (found " + payloadType + ")");
    }
    byte[] statement;
    try {
      statement = Base64.getDecoder().decode(envelope.path("payload").asText(""));
    } catch (IllegalArgumentException e) {
      return Result.invalid("the bundle's DSSE payload is not base64");
    }
    byte[] signed = SigstoreBundle.preAuthenticationEncoding(payloadType, statement);
    boolean verified = false;
    for (JsonNode signature : envelope.path("signatures")) {
      try {
        verified |= key.verifies(signed, Base64.getDecoder().decode(signature.path("sig").asText("")));
      } catch (IllegalArgumentException e) {
        // a signature that is not base64 verifies nothing
      }
    }
    if (!verified) {
      String hint = bundle.path("verificationMaterial").path("publicKey").path("hint").asText("");
      return Result.invalid("no signature in the bundle verifies with the key " + key.hint()
          + (hint.isEmpty() || hint.equals(key.hint()) ? "" : " (the bundle names the key " + hint + ")"));
    }
    JsonNode parsed;
    try {
      parsed = OciJson.parseObject(statement, "the bundle's in-toto statement");
    } catch (MultiarchException e) {
      return Result.invalid(e.getMessage());
    }
    if (!SigstoreBundle.STATEMENT_TYPE.equals(OciJson.text(parsed, "_type"))) {
      return Result.invalid("the signed statement has _type " + OciJson.text(parsed, "_type") + ", not "
          + SigstoreBundle.STATEMENT_TYPE);
    }
    if (!SigstoreBundle.PREDICATE_TYPE.equals(OciJson.text(parsed, "predicateType"))) {
      return Result.invalid("the signed statement has predicate type " + OciJson.text(parsed, "predicateType")
          + ", not the image signature " + SigstoreBundle.PREDICATE_TYPE);
    }
    StringBuilder found = new StringBuilder();
    for (JsonNode subject : parsed.path("subject")) {
      String hex = OciJson.text(subject.path("digest"), expectedManifest.algorithm());
      if (expectedManifest.hex().equals(hex)) {
        return Result.valid("bundle signed by key " + key.hint() + " for " + expectedManifest);
      }
      found.append(found.length() == 0 ? "" : ", ").append(subject.path("digest"));
    }
    return Result.wrongSubject("the bundle is validly signed but about " + (found.length() == 0 ? "no subject"
        : found) + ", not " + expectedManifest);
  }

  /**
   * Checks a legacy {@code .sig} manifest: valid when one of its layers is a payload naming the expected digest
   * with a signature by our key over the payload's exact bytes.
   */
  public Result checkSimpleSigning(Artifact signatureManifest) {
    ImageManifest manifest;
    try {
      manifest = ImageManifest.parse(signatureManifest.manifestBytes(), MediaTypes.OCI_MANIFEST,
          "the signature manifest");
    } catch (MultiarchException e) {
      return Result.invalid(e.getMessage());
    }
    String wrongSubject = null;
    int signatures = 0;
    for (Descriptor layer : manifest.layers()) {
      String signature = layer.annotations().get(SimpleSigning.SIGNATURE_ANNOTATION);
      byte[] payload = signatureManifest.blobs().get(layer.digest());
      if (signature == null || payload == null || !Digest.sha256(payload).equals(layer.digest())) {
        continue;
      }
      signatures++;
      boolean verified;
      try {
        verified = key.verifies(payload, Base64.getDecoder().decode(signature));
      } catch (IllegalArgumentException e) {
        verified = false;
      }
      if (!verified) {
        continue;
      }
      String digest;
      String type;
      try {
        JsonNode critical = OciJson.parseObject(payload, "the signed payload").path("critical");
        digest = critical.path("image").path("docker-manifest-digest").asText("");
        type = critical.path("type").asText("");
      } catch (MultiarchException e) {
        continue;
      }
      if (!SimpleSigning.SIGNATURE_TYPE.equals(type)) {
        continue;
      }
      if (digest.equals(expectedManifest.toString())) {
        return Result.valid("signature " + layer.digest() + " by key " + key.hint() + " for " + expectedManifest);
      }
      wrongSubject = "the payload " + layer.digest() + " is validly signed but names " + digest + ", not "
          + expectedManifest;
    }
    if (wrongSubject != null) {
      return Result.wrongSubject(wrongSubject);
    }
    return Result.invalid(signatures == 0 ? "the signature manifest holds no signed payload layer"
        : "none of the " + signatures + " signatures verifies with the key " + key.hint());
  }

  private static boolean isBundle(String mediaType) {
    return SigstoreBundle.BUNDLE_MEDIA_TYPE.equals(mediaType)
        || SigstoreBundle.BUNDLE_MEDIA_TYPE_LEGACY.equals(mediaType);
  }
}
