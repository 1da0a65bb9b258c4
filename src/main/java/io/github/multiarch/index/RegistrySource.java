package io.github.multiarch.index;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An image in a registry repository, named by tag or digest. */
public final class RegistrySource implements ImageSource {
  private final String parameter;
  private final String reference;
  private final ImageName name;
  private final RegistryClient client;

  /**
   * @param parameter the parameter the reference came from ({@code sources} of create, {@code image} of
   *     inspect and annotate), named in the error when the image does not exist
   */
  public RegistrySource(String parameter, String reference, ImageName name, RegistryClient client) {
    this.parameter = parameter;
    this.reference = reference;
    this.name = name;
    this.client = client;
  }

  public ImageName name() {
    return name;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public ManifestBytes top() {
    String ref = name.digest() != null ? name.digest() : name.tag() != null ? name.tag() : "latest";
    RegistryClient.Manifest manifest = client.getManifest(name.repository(), ref).orElseThrow(
        () -> new InvalidInputException(parameter, reference + " does not exist (no manifest " + ref + " in "
            + name.repositoryReference() + ")"));
    return new ManifestBytes(manifest.bytes(), manifest.mediaType(), manifest.digest());
  }

  @Override
  public ManifestBytes manifest(Descriptor descriptor) {
    RegistryClient.Manifest manifest = client.getManifest(name.repository(), descriptor.digest().toString())
        .orElseThrow(() -> new MultiarchException(reference + " lists manifest " + descriptor.digest()
            + ", which " + name.repositoryReference() + " does not have"));
    return new ManifestBytes(manifest.bytes(), manifest.mediaType(), manifest.digest());
  }

  /** Downloads a blob (any size) into {@code target}, checked against its digest. */
  public void fetchBlob(Descriptor descriptor, Path target) {
    client.fetchBlob(name.repository(), descriptor.digest(), target);
  }

  @Override
  public byte[] smallBlob(Descriptor descriptor) {
    if (descriptor.size() > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException("blob " + descriptor.digest() + " of " + reference + " is too large to read");
    }
    try {
      Path temp = Files.createTempFile("multiarch-blob-", "");
      try {
        client.fetchBlob(name.repository(), descriptor.digest(), temp);
        return Files.readAllBytes(temp);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot read blob " + descriptor.digest() + " of " + reference + ": "
          + e.getMessage(), e);
    }
  }
}
