package io.github.multiarch.layer;

import io.github.multiarch.EngineLog;
import io.github.multiarch.layout.CorruptBlobException;
import io.github.multiarch.layout.KnownDigests;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Built layers kept between builds, so that a rebuild whose layer content did not change neither re-tars
 * nor re-compresses it (the dependencies layer of a Java application, a native binary that was not
 * rebuilt).
 *
 * <p>An entry is keyed by the sha256 of everything that decides the layer's bytes: a format version, the
 * modification time given to every entry, the runtime that compresses (JVM version, OS architecture), and
 * for each entry of the layer in order its path in the image, kind, mode, link target, and for a file its
 * size and the sha256 of its content. The key is computed from the content, not from file times, so any
 * change of content misses, whatever happened to the file's times; hashing is many times cheaper than
 * compressing. An entry maps to the compressed digest, size and diff ID of the layer, whose blob is kept
 * in the cache's own OCI layout ({@code blobs/sha256/…}, shared with the base-image cache) and reaches a
 * build's output by a hard link where the file system allows it.
 *
 * <p>A hit is only taken when the cached blob is still there with the recorded size; anything unreadable
 * is a miss. Entries and blobs are written atomically, so concurrent builds sharing one cache are safe.
 */
public final class LayerCache {
  static final String FORMAT = "multiarch-layer-cache-v2";
  private static final String ENTRIES = "layers";

  private final OciLayout blobs;
  private final Path entries;
  private final EngineLog log;
  private final KnownDigests known;

  private LayerCache(OciLayout blobs, Path entries, EngineLog log, KnownDigests known) {
    this.blobs = blobs;
    this.entries = entries;
    this.log = log;
    this.known = known;
  }

  /** Opens the cache at {@code directory} (an OCI layout, created when missing). */
  public static LayerCache open(Path directory) {
    return open(directory, EngineLog.NONE);
  }

  /** Opens the cache at {@code directory}; {@code log} hears of entries dropped because they were corrupt. */
  public static LayerCache open(Path directory, EngineLog log) {
    OciLayout layout;
    synchronized (LayerCache.class) {
      layout = Files.isRegularFile(directory.resolve("oci-layout")) && Files.isRegularFile(directory.resolve("index.json"))
          ? OciLayout.open(directory) : OciLayout.create(directory);
    }
    return new LayerCache(layout, directory.resolve(ENTRIES), log, KnownDigests.in(directory));
  }

  /** The digests of source files and cached blobs hashed by earlier builds, for files unchanged since. */
  KnownDigests known() {
    return known;
  }

  /** The cache's layout, where the blobs of cached layers are. */
  public OciLayout layout() {
    return blobs;
  }

  /** What a key maps to. */
  record Entry(Digest digest, long size, Digest diffId) {}

  /**
   * The cached layer for {@code key}, when its blob is still there with the recorded size and digest. A blob
   * that no longer matches (a disk error, an edit) is dropped with its entry, with a warning: the layer is
   * built again.
   */
  Optional<Entry> lookup(String key) {
    Path file = entries.resolve(key);
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      List<String> fields = List.of(Files.readString(file, StandardCharsets.US_ASCII).trim().split(" "));
      if (fields.size() != 3 || !Digest.isValid(fields.get(0)) || !Digest.isValid(fields.get(2))) {
        return Optional.empty();
      }
      Entry entry = new Entry(Digest.parse(fields.get(0)), Long.parseLong(fields.get(1)), Digest.parse(fields.get(2)));
      Path blob = blobs.blobPath(entry.digest());
      if (!Files.isRegularFile(blob)) {
        return Optional.empty();
      }
      try {
        known.verifyBlob(blobs, entry.digest(), entry.size()); // not re-read when an earlier build checked it
      } catch (CorruptBlobException e) {
        log.warn("multiarch: dropped a corrupt layer from the cache, building it again: " + e.getMessage());
        Files.deleteIfExists(blob);
        Files.deleteIfExists(file);
        return Optional.empty();
      }
      return Optional.of(entry);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged entry is a miss; the layer is built and the entry rewritten
    }
  }

  /** Records a layer built into {@code from} under {@code key}, keeping its blob in the cache. */
  void store(String key, OciLayout from, Entry entry) {
    try {
      Path cached = blobs.blobPath(entry.digest());
      if (Files.isRegularFile(cached) && Files.size(cached) != entry.size()) {
        Files.delete(cached); // damaged: replaced by the blob just built
      }
      if (!Files.isRegularFile(cached)) {
        blobs.copyCheckedBlobFrom(from, entry.digest()); // just built here, hashed while written
        known.written(cached, entry.digest()); // so the next build does not read it again
      }
      Files.createDirectories(entries);
      Path temp = Files.createTempFile(entries, ".partial-", "");
      Files.writeString(temp, entry.digest() + " " + entry.size() + " " + entry.diffId() + "\n",
          StandardCharsets.US_ASCII);
      try {
        Files.move(temp, entries.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, entries.resolve(key), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | MultiarchException e) {
      // the cache is an optimisation: a layer that cannot be cached is simply built again next time
    }
  }
}
