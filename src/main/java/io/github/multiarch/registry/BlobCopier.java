package io.github.multiarch.registry;

import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way blobs get into a repository, for {@code push} (from a layout) and {@code create} (from layouts
 * and other repositories alike): a blob the repository has is skipped ({@code HEAD}); one that a repository
 * of the same registry holds is mounted from there; any other is uploaded from a local file (a layout's blob,
 * or a download). Each blob once, up to {@code parallel} at a time, with an outcome per blob.
 */
public final class BlobCopier {
  /** What became of a blob. */
  public enum Outcome { SKIPPED, MOUNTED, UPLOADED }

  /** Where a blob's bytes can be had. */
  public interface Origin {
    /** A repository of the target's registry that holds the blob, to mount it from; null when none is known. */
    String mountRepository(Descriptor blob);

    /** The blob as a local file to upload: a layout's own blob file, or a download that is deleted after. */
    LocalBlob fetch(Descriptor blob) throws IOException;
  }

  /** A blob on disk; a temporary one is deleted once uploaded. */
  public record LocalBlob(Path file, boolean temporary) {}

  private final RegistryClient client;
  private final EngineLog log;
  private final UploadListener uploads;

  public BlobCopier(RegistryClient client, EngineLog log, UploadListener uploads) {
    this.client = client;
    this.log = log;
    this.uploads = uploads == null ? UploadListener.NONE : uploads;
  }

  /**
   * Copies every blob (each digest once) into {@code repository}. The first failure cancels the rest and is
   * thrown; nothing that refers to the blobs (manifests, tags) has been pushed by then.
   */
  public Map<Digest, Outcome> copy(String repository, Collection<Descriptor> blobs, Map<Digest, Origin> origins,
      int parallel) {
    Map<Digest, Descriptor> unique = new LinkedHashMap<>();
    blobs.forEach(b -> unique.putIfAbsent(b.digest(), b));
    Map<Digest, Outcome> outcomes = new LinkedHashMap<>();
    List<Descriptor> toCopy = List.copyOf(unique.values());
    List<Outcome> results = Parallel.map(toCopy, parallel, "multiarch-upload", "copy of blobs",
        blob -> copy(repository, blob, origins.get(blob.digest())));
    for (int i = 0; i < toCopy.size(); i++) {
      outcomes.put(toCopy.get(i).digest(), results.get(i));
    }
    return outcomes;
  }

  private Outcome copy(String repository, Descriptor blob, Origin origin) {
    if (client.blobExists(repository, blob.digest())) {
      log.debug("multiarch: " + blob.digest() + " already in " + repository);
      return Outcome.SKIPPED;
    }
    String mountFrom = origin == null ? null : origin.mountRepository(blob);
    URI session = null;
    if (mountFrom != null && !mountFrom.equals(repository)) {
      RegistryClient.Mount mount = client.mountBlob(repository, blob.digest(), mountFrom);
      if (mount.mounted()) {
        log.debug("multiarch: mounted " + blob.digest() + " from " + mountFrom);
        return Outcome.MOUNTED;
      }
      // refused (401, 403, 404…) or ignored (202 with an upload session): one upload, into that session if any
      session = mount.uploadSession();
      log.debug("multiarch: mounting " + blob.digest() + " from " + mountFrom + " answered HTTP " + mount.status()
          + "; uploading it" + (session != null ? " into the upload session the registry opened instead" : ""));
    }
    if (origin == null) {
      throw new MultiarchException("blob " + blob.digest() + " has no source to upload it from");
    }
    LocalBlob local;
    try {
      local = origin.fetch(blob);
    } catch (IOException | RuntimeException e) {
      client.cancelUpload(session, repository);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new MultiarchException("cannot read blob " + blob.digest() + " for upload: " + e.getMessage(), e);
    }
    try {
      log.debug("multiarch: uploading " + blob.digest() + " (" + blob.size() + " bytes)");
      client.uploadBlob(repository, blob.digest(), blob.size(), local.file(), uploads, session);
    } finally {
      if (local.temporary()) {
        try {
          Files.deleteIfExists(local.file());
        } catch (IOException ignored) {
          // a leftover temporary file is harmless
        }
      }
    }
    return Outcome.UPLOADED;
  }
}
