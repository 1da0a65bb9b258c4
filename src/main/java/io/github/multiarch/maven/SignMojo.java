package io.github.multiarch.maven;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.registry.Attachments;
import io.github.multiarch.registry.ManifestSigner;
import io.github.multiarch.registry.Referrers;
import io.github.multiarch.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Signs an image that is already in a registry — the index and every platform's manifest — with
 * {@code signingKey}, in the formats of {@code signatureFormat}. {@code push} and {@code create} sign by
 * themselves when {@code signingKey} is set; this goal is for images pushed by other means. A manifest this key
 * has signed already is not signed again.
 */
@Mojo(name = "sign", defaultPhase = LifecyclePhase.DEPLOY, requiresProject = false, threadSafe = true)
public class SignMojo extends AbstractSigningMojo {
  /** The image to sign, with a tag or digest, e.g. {@code registry.example.com/team/app:1.0}. */
  @Parameter(property = "multiarch.image")
  String image;

  /** Skips this goal only. */
  @Parameter(property = "multiarch.skipSign", defaultValue = "false")
  boolean skipSign;

  @Override
  protected void run() {
    if (skipSign) {
      getLog().info("multiarch: sign skipped (multiarch.skipSign)");
      return;
    }
    if (image == null || image.isBlank()) {
      throw new InvalidInputException("image", "no image to sign; set -Dmultiarch.image=registry.example.com/team/"
          + "app:TAG (or @sha256:…)");
    }
    ImageName name = ImageName.parse("image", image);
    String reference = name.digest() != null ? name.digest() : name.tag();
    if (reference == null) {
      throw new InvalidInputException("image", "'" + image + "' names no tag or digest; say which image to sign, "
          + "e.g. " + name.repositoryReference() + ":1.0");
    }
    if (signingKey == null) {
      throw new InvalidInputException("signingKey", "sign needs a key: set -Dmultiarch.signingKey=PATH to an ECDSA "
          + "P-256 private key in PEM (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)");
    }
    ManifestSigner signer = signer();
    requireOnline("sign " + image);
    RegistryClient client = client(name.registry(), registryOptions());
    RegistryClient.Manifest top = client.getManifest(name.repository(), reference).orElseThrow(() ->
        new InvalidInputException("image", image + " does not exist in the registry"));
    Attachments attachments = new Attachments(client, new Referrers(client, engineLog()), name.repository(),
        name.repositoryReference(), signer);
    List<Descriptor> manifests = new ArrayList<>();
    if (MediaTypes.isIndex(top.mediaType())) {
      manifests.addAll(ImageIndex.parse(top.bytes(), top.mediaType(), image).manifests());
    }
    int children = manifests.size();
    manifests.add(top.descriptor());
    attachments.attachAll(manifests, Map.of(), Attachments.REQUESTS_AT_ONCE);
    getLog().info("multiarch: signed " + name.repositoryReference() + "@" + top.digest()
        + (children > 0 ? " and its " + children + " platforms' manifests" : "") + "; "
        + attachments.referrersPushed() + " signature bundles pushed as referrers");
  }
}
