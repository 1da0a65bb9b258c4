package io.github.multiarch.image;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.registry.BlobCopier;
import io.github.multiarch.registry.MirroredRepository;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.PullSource;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry repository as an {@link ImageStore}: manifests fetched by digest with every manifest media type
 * in {@code Accept} (and checked against it); blobs downloaded once into a private layout (checked by the
 * client, and again while streamed) that {@link #close()} deletes. Reads may go through mirrors
 * ({@link MirroredRepository}); tags are always written to the registry itself.
 */
public final class RegistryStore implements ImageStore {
  private final MirroredRepository reads;
  private final ImageName name;
  private final Path workDirectory;
  private Path directory;
  private OciLayout downloads;
  private final Map<Digest, CompletableFuture<Void>> downloading = new ConcurrentHashMap<>();

  /**
   * @param name the repository ({@code registry/repository}; a tag or digest in it is not used here)
   * @param workDirectory where a private directory for downloads is made when the first blob is read
   */
  public RegistryStore(RegistryClient client, ImageName name, Path workDirectory) {
    this(MirroredRepository.direct(name, client), name, workDirectory);
  }

  /** As {@link #RegistryStore(RegistryClient, ImageName, Path)}, reading through {@code reads}' sources. */
  public RegistryStore(MirroredRepository reads, ImageName name, Path workDirectory) {
    this.reads = reads;
    this.name = name;
    this.workDirectory = workDirectory;
  }

  public ImageName name() {
    return name;
  }

  /** The registry itself (never a mirror), for writes. */
  public RegistryClient client() {
    return reads.origin();
  }

  /** What the image was read from so far: the registry itself or a mirror; null before the first read. */
  public PullSource servedBy() {
    return reads.servedBy();
  }

  @Override
  public String describe() {
    return name.repositoryReference();
  }

  @Override
  public Manifest resolve(String reference) {
    RegistryClient.Manifest manifest = reads.getManifest(reference).orElseThrow(
        () -> new ImageNotFoundException(name.repositoryReference() + (reference.contains(":") ? "@" : ":")
            + reference + " does not exist in the registry"));
    return new Manifest(manifest.bytes(), manifest.mediaType(), manifest.digest());
  }

  @Override
  public List<Descriptor> referrers(Digest subject) {
    return reads.referrers(subject);
  }

  @Override
  public Manifest manifest(Descriptor descriptor) {
    RegistryClient.Manifest manifest = reads.getManifest(descriptor.digest().toString())
        .orElseThrow(() -> new MultiarchException("manifest " + descriptor.digest() + " is missing from "
            + name.repositoryReference()));
    // the client checked the digest; the size is the descriptor's other claim (a layout checks both on read)
    if (descriptor.size() >= 0 && manifest.bytes().length != descriptor.size()) {
      throw new MultiarchException("manifest " + descriptor.digest() + " is " + manifest.bytes().length
          + " bytes, its descriptor says " + descriptor.size());
    }
    return new Manifest(manifest.bytes(), manifest.mediaType(), manifest.digest());
  }

  /**
   * Blobs of different digests download side by side (annotate reads several images' configs at once);
   * a blob another thread is downloading is waited for, not downloaded twice.
   */
  @Override
  public BlobInputStream openBlob(Descriptor descriptor, String what) throws IOException {
    OciLayout layout;
    synchronized (this) {
      layout = downloads();
    }
    Digest digest = descriptor.digest();
    while (!layout.hasBlob(digest)) {
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> earlier = downloading.putIfAbsent(digest, mine);
      if (earlier != null) {
        Parallel.awaitQuietly(earlier); // its failure is its own thread's to report; this one then tries itself
        continue;
      }
      try {
        fetchInto(reads, digest, layout);
      } catch (MultiarchException e) {
        String message = what + " " + digest + " cannot be fetched from " + name.repositoryReference() + ": "
            + e.getMessage();
        if (e instanceof RegistryException r && r.kind() == RegistryException.Kind.NOT_FOUND) {
          throw new MissingBlobException(message, e);
        }
        throw new IOException(message, e);
      } finally {
        downloading.remove(digest, mine);
        mine.complete(null);
      }
    }
    return new BlobInputStream(Files.newInputStream(layout.blobPath(digest)), descriptor, what);
  }

  /**
   * The blob as already downloaded by {@link #openBlob} (a config read to learn its platform), else a download
   * into a temporary file; both checked against the digest by the client.
   */
  @Override
  public BlobCopier.LocalBlob localBlob(Descriptor descriptor) throws IOException {
    synchronized (this) {
      if (downloads != null && downloads.hasBlob(descriptor.digest())) {
        return new BlobCopier.LocalBlob(downloads.blobPath(descriptor.digest()), false);
      }
    }
    Path temp = Files.createTempFile("multiarch-copy-", "");
    try {
      reads.fetchBlob(descriptor.digest(), temp);
    } catch (RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return new BlobCopier.LocalBlob(temp, true);
  }

  /**
   * Downloads a blob into {@code layout} (checked against its digest by the client while written); a refused or
   * broken download leaves nothing behind.
   */
  static void fetchInto(MirroredRepository reads, Digest digest, OciLayout layout) {
    Path temp = layout.newBlobTempFile();
    try {
      reads.fetchBlob(digest, temp);
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException leftover) {
        e.addSuppressed(leftover); // a leftover temporary file is harmless
      }
      throw e;
    }
    layout.adoptBlob(temp, digest);
  }

  @Override
  public void tag(byte[] bytes, String mediaType, List<String> tags) {
    for (String tag : tags) {
      client().putManifest(name.repository(), tag, bytes, mediaType);
    }
  }

  @Override
  public String repositoryOn(String registry) {
    return name.registry().equals(registry) ? name.repository() : null;
  }

  private OciLayout downloads() throws IOException {
    if (downloads == null) {
      Files.createDirectories(workDirectory);
      directory = Files.createTempDirectory(workDirectory, "registry-blobs-");
      downloads = OciLayout.create(directory);
    }
    return downloads;
  }

  @Override
  public synchronized void close() {
    if (directory != null) {
      try {
        io.github.multiarch.FileTrees.deleteRecursively(directory);
      } catch (RuntimeException e) {
        // a leftover temporary directory is harmless
      }
      directory = null;
      downloads = null;
    }
  }
}
