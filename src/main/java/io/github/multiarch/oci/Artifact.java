package io.github.multiarch.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest with the blobs it names, ready to be written into a layout or pushed: an SBOM, a provenance
 * statement, a signature. Most are OCI 1.1 referrers — an image manifest with {@code artifactType}, the
 * empty config and a {@code subject} naming the manifest they are about (image-spec
 * <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md#guidelines-for-artifact-usage">
 * manifest.md, guidelines for artifact usage</a>).
 *
 * @param descriptor the manifest's descriptor, with {@code artifactType} and the manifest's annotations as an
 *     entry of a referrers index lists them
 * @param manifestBytes the manifest's exact bytes
 * @param blobs every blob the manifest names (config and layers), by digest
 */
public record Artifact(Descriptor descriptor, byte[] manifestBytes, Map<Digest, byte[]> blobs) {

  /** The OCI empty descriptor's content: {@code {}} (image-spec manifest.md, "Guidance for an empty descriptor"). */
  public static final byte[] EMPTY_JSON = {'{', '}'};

  public Artifact {
    manifestBytes = manifestBytes.clone();
    blobs = Map.copyOf(blobs);
  }

  /** One layer of an artifact: its media type, content and annotations. */
  public record Layer(String mediaType, byte[] content, Map<String, String> annotations) {
    public Layer {
      content = content.clone();
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
  }

  /** Reads content by its descriptor, checked against the descriptor's digest and size. */
  @FunctionalInterface
  public interface ContentReader {
    byte[] read(Descriptor descriptor) throws IOException;
  }

  /**
   * A small manifest read elsewhere (an attestation, a signature) with every blob it names, config and layers,
   * each read by {@code blobs}: the one way attached artifacts are read, whatever holds them.
   *
   * @param what names the manifest in errors, e.g. {@code referrer sha256:…}
   */
  public static Artifact read(Descriptor descriptor, byte[] manifestBytes, ContentReader blobs, String what)
      throws IOException {
    ImageManifest manifest = ImageManifest.parse(manifestBytes, descriptor.mediaType(), what);
    Map<Digest, byte[]> read = new LinkedHashMap<>();
    List<Descriptor> parts = new ArrayList<>();
    parts.add(manifest.config());
    parts.addAll(manifest.layers());
    for (Descriptor part : parts) {
      read.put(part.digest(), blobs.read(part));
    }
    return new Artifact(descriptor, manifestBytes, read);
  }

  /** The descriptor of the empty config {@code {}}, as every artifact without a config of its own uses. */
  public static Descriptor emptyConfig() {
    return new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY_JSON), EMPTY_JSON.length);
  }

  /**
   * An OCI 1.1 referrer of {@code subject}: artifact type {@code artifactType}, the empty config, the given
   * layers and manifest annotations.
   */
  public static Artifact referrer(String artifactType, Descriptor subject, List<Layer> layers,
      Map<String, String> annotations) {
    Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    Descriptor config = emptyConfig();
    blobs.put(config.digest(), EMPTY_JSON);
    List<Descriptor> layerDescriptors = new ArrayList<>();
    for (Layer layer : layers) {
      Digest digest = Digest.sha256(layer.content());
      blobs.put(digest, layer.content());
      layerDescriptors.add(new Descriptor(layer.mediaType(), digest, layer.content().length, null,
          layer.annotations(), null));
    }
    ObjectNode extra = OciJson.object();
    extra.put("artifactType", artifactType);
    // a subject names only what identifies the manifest: platform and annotations of an index entry are not
    // part of it
    extra.set("subject", new Descriptor(subject.mediaType(), subject.digest(), subject.size()).toJson());
    ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST, config, layerDescriptors, annotations,
        extra);
    return of(manifest, blobs);
  }

  /** Any image manifest and its blobs; the descriptor carries the manifest's artifact type when it has one. */
  public static Artifact of(ImageManifest manifest, Map<Digest, byte[]> blobs) {
    byte[] bytes = manifest.toBytes();
    ObjectNode extra = OciJson.object();
    String artifactType = artifactType(manifest);
    if (artifactType != null) {
      extra.put("artifactType", artifactType);
    }
    Descriptor descriptor = new Descriptor(manifest.mediaType(), Digest.sha256(bytes), bytes.length, null,
        manifest.annotations(), extra);
    return new Artifact(descriptor, bytes, blobs);
  }

  /**
   * A manifest's artifact type as the referrers API reports it: its {@code artifactType}, else its config's
   * media type (image-spec manifest.md; distribution-spec "Listing Referrers").
   */
  public static String artifactType(ImageManifest manifest) {
    String declared = OciJson.text(manifest.extraFields(), "artifactType");
    return declared != null ? declared : manifest.config().mediaType();
  }

  /** The manifest's {@code subject}, or null when it refers to nothing. */
  public static Descriptor subject(ImageManifest manifest) {
    return manifest.extraFields().has("subject")
        ? Descriptor.fromJson(manifest.extraFields().get("subject"), "subject")
        : null;
  }
}
