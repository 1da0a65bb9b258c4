package io.github.multiarch.check;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An image in a registry as the source: manifests are fetched by digest (with every manifest media type in
 * {@code Accept}), blobs are downloaded into a temporary OCI layout (checked against their digests by the
 * client, and again by size and digest while they are streamed) that {@link #close()} deletes.
 */
public final class RegistryContent implements ImageContent {
  private final RegistryClient client;
  private final ImageName name;
  private final String reference;
  private final Path directory;
  private final OciLayout scratch;

  /**
   * @param reference the tag or digest to verify
   * @param workDirectory a directory for the downloaded blobs (a fresh subdirectory is made and deleted)
   */
  public RegistryContent(RegistryClient client, ImageName name, String reference, Path workDirectory) {
    this.client = client;
    this.name = name;
    this.reference = reference;
    try {
      Files.createDirectories(workDirectory);
      this.directory = Files.createTempDirectory(workDirectory, "verify-");
    } catch (IOException e) {
      throw new MultiarchException("cannot create a directory under " + workDirectory + ": " + e.getMessage(), e);
    }
    this.scratch = OciLayout.create(directory);
  }

  @Override
  public String describe() {
    return name.repositoryReference() + (reference.contains(":") ? "@" : ":") + reference;
  }

  @Override
  public List<Root> roots() {
    RegistryClient.Manifest top = client.getManifest(name.repository(), reference).orElseThrow(
        () -> new MultiarchException(describe() + " does not exist in the registry"));
    scratch.writeBlob(top.mediaType(), top.bytes());
    return List.of(new Root(top.descriptor(), describe()));
  }

  @Override
  public byte[] manifest(Descriptor descriptor) throws IOException {
    if (!scratch.hasBlob(descriptor.digest())) {
      RegistryClient.Manifest fetched;
      try {
        fetched = client.getManifest(name.repository(), descriptor.digest().toString()).orElseThrow(
            () -> new IOException("manifest " + descriptor.digest() + " is missing from " + name.repositoryReference()));
      } catch (MultiarchException e) {
        throw new IOException("manifest " + descriptor.digest() + ": " + e.getMessage(), e);
      }
      scratch.writeBlob(fetched.mediaType(), fetched.bytes());
    }
    return smallBlob(descriptor, "manifest", io.github.multiarch.oci.OciJson.MAX_MANIFEST_BYTES);
  }

  @Override
  public BlobInputStream blob(Descriptor descriptor, String what) throws IOException {
    if (!scratch.hasBlob(descriptor.digest())) {
      Path temp = scratch.newBlobTempFile();
      try {
        client.fetchBlob(name.repository(), descriptor.digest(), temp);
      } catch (MultiarchException e) {
        Files.deleteIfExists(temp);
        String message = what + " " + descriptor.digest() + " cannot be fetched from " + name.repositoryReference()
            + ": " + e.getMessage();
        if (e instanceof io.github.multiarch.registry.RegistryException r
            && r.kind() == io.github.multiarch.registry.RegistryException.Kind.NOT_FOUND) {
          throw new MissingBlobException(message, e);
        }
        throw new IOException(message, e);
      }
      scratch.adoptBlob(temp, descriptor.digest());
    }
    InputStream in = Files.newInputStream(scratch.blobPath(descriptor.digest()));
    return new BlobInputStream(in, descriptor, what);
  }

  @Override
  public void close() {
    try {
      SafeUnpacker.deleteTree(directory);
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
