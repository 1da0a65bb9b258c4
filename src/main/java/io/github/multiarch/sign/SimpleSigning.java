package io.github.multiarch.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.registry.Attachments;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cosign's legacy signature format (cosign specs/SIGNATURE_SPEC.md): a "simple signing" payload naming the
 * signed manifest's digest, signed with ECDSA; payload and signature are a layer of an image manifest tagged
 * {@code sha256-<hex>.sig} in the image's repository, one layer per signature.
 */
public final class SimpleSigning {
  /** The payload layer's media type (SIGNATURE_SPEC.md, "Simple Signing"). */
  public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  /** The layer annotation holding the base64 signature (SIGNATURE_SPEC.md, "Signature"). */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  /** {@code critical.type} of a cosign signature (SIGNATURE_SPEC.md, "Simple Signing"). */
  public static final String SIGNATURE_TYPE = "cosign container image signature";

  /**
   * What go-containerregistry writes for an unset time (Go's zero {@code time.Time}); cosign's signature image
   * has it as {@code created} unless asked to record the creation time.
   */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private SimpleSigning() {}

  /**
   * The payload cosign signs for {@code manifestDigest}, field for field as sigstore/sigstore's
   * pkg/signature/payload/payload.go marshals it (called from cosign cmd/cosign/cli/sign/sign.go, signDigest):
   * {@code {"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},"type":"cosign
   * container image signature"},"optional":null}}.
   *
   * @param dockerReference the repository without tag or digest, as cosign writes it (go-containerregistry's
   *     {@code Repository.Name()}: registry and path, e.g. {@code localhost:5000/app},
   *     {@code index.docker.io/library/app})
   */
  public static byte[] payload(String dockerReference, Digest manifestDigest) {
    ObjectNode root = OciJson.object();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
    critical.put("type", SIGNATURE_TYPE);
    // cosign writes no annotations as a JSON null (a nil Go map), not as an empty object
    root.putNull("optional");
    return OciJson.toBytes(root);
  }

  /**
   * The tag of the signatures of {@code subject}: {@code sha256-<hex>.sig} (SIGNATURE_SPEC.md, "Tag-based
   * Discovery").
   */
  public static String tag(Digest subject) {
    return Attachments.legacyTag(subject);
  }

  /**
   * The {@code .sig} manifest with one more signature: the existing one's layers, then a layer of
   * {@code payload} with {@code signatureBase64} as its {@value #SIGNATURE_ANNOTATION} annotation. When an
   * identical layer (same payload, same annotations) is already there, {@code existing} is returned unchanged.
   *
   * <p>The config is what go-containerregistry's {@code mutate.Append} makes of cosign's empty signature image
   * (cosign pkg/oci/empty/empty.go, pkg/oci/mutate/signatures.go AppendSignatures): an OCI image config with
   * empty architecture and os, {@code rootfs.diff_ids} listing the payload layers (uncompressed, so each diff
   * ID is the layer's digest), one empty-time history entry per layer, and an empty {@code config}.
   *
   * @param existing the current {@code .sig} manifest with its blobs, or null when the image has none yet
   * @param created the config's {@code created}, or null for the zero time cosign writes by default (or, when
   *     extending, the existing config's)
   */
  public static Artifact signatureManifest(Artifact existing, byte[] payload, String signatureBase64,
      Instant created) {
    List<Descriptor> layers = new ArrayList<>();
    Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    ArrayNode history = OciJson.object().arrayNode();
    String createdText = created == null ? ZERO_TIME : created.truncatedTo(ChronoUnit.SECONDS).toString();
    Descriptor ours = new Descriptor(PAYLOAD_MEDIA_TYPE, Digest.sha256(payload), payload.length, null,
        Map.of(SIGNATURE_ANNOTATION, signatureBase64), null);
    if (existing != null) {
      ImageManifest manifest = ImageManifest.parse(existing.manifestBytes(), MediaTypes.OCI_MANIFEST,
          "the signature manifest");
      for (Descriptor layer : manifest.layers()) {
        if (layer.digest().equals(ours.digest()) && layer.annotations().equals(ours.annotations())) {
          return existing;
        }
        layers.add(layer);
        byte[] blob = existing.blobs().get(layer.digest());
        if (blob != null) {
          blobs.put(layer.digest(), blob);
        }
      }
      byte[] oldConfig = existing.blobs().get(manifest.config().digest());
      if (oldConfig != null) {
        JsonNode config = OciJson.parse(oldConfig, "the signature manifest's config");
        if (created == null && OciJson.text(config, "created") != null) {
          createdText = OciJson.text(config, "created");
        }
        if (config.get("history") instanceof ArrayNode old && old.size() == layers.size()) {
          history.addAll(old);
        }
      }
    }
    layers.add(ours);
    blobs.put(ours.digest(), payload);
    while (history.size() < layers.size()) {
      history.addObject().put("created", ZERO_TIME);
    }

    ObjectNode config = OciJson.object();
    config.put("architecture", "");
    config.put("created", createdText);
    config.set("history", history);
    config.put("os", "");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(layer.digest().toString()));
    config.putObject("config");
    byte[] configBytes = OciJson.toBytes(config);
    Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(configBytes),
        configBytes.length);
    blobs.put(configDescriptor.digest(), configBytes);
    return Artifact.of(new ImageManifest(MediaTypes.OCI_MANIFEST, configDescriptor, layers, Map.of()), blobs);
  }

  /**
   * True when {@code existing} already holds a signature by {@code key} over exactly {@code payload}. ECDSA
   * signatures differ each time, so signing again never makes an identical layer; cosign's duplicate check does
   * the same (cosign pkg/cosign/remote/remote.go, NewDupeDetector) to keep re-signing from piling up layers.
   */
  public static boolean alreadySigned(Artifact existing, byte[] payload, VerificationKey key) {
    if (existing == null) {
      return false;
    }
    ImageManifest manifest = ImageManifest.parse(existing.manifestBytes(), MediaTypes.OCI_MANIFEST,
        "the signature manifest");
    Digest payloadDigest = Digest.sha256(payload);
    for (Descriptor layer : manifest.layers()) {
      String signature = layer.annotations().get(SIGNATURE_ANNOTATION);
      if (layer.digest().equals(payloadDigest) && signature != null) {
        try {
          if (key.verifies(payload, Base64.getDecoder().decode(signature))) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          // not base64: not a signature of ours
        }
      }
    }
    return false;
  }
}
