package io.github.multiarch.check;

import io.github.multiarch.SkipByReading;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;

/**
 * Streams one layer: decompresses it according to its media type, hashes the uncompressed tar (the layer's
 * diff ID) and hands every tar entry with its content to a visitor. Nothing is written to disk unless the
 * visitor does so.
 */
public final class LayerReader {
  private LayerReader() {}

  /** Receives the entries of a layer in order. */
  @FunctionalInterface
  public interface EntryVisitor {
    /**
     * One entry. {@code content} is the entry's data (for regular files); the visitor may read part of it or
     * none, the rest is skipped.
     */
    void entry(TarArchiveEntry entry, EntryName name, InputStream content) throws IOException;
  }

  /** A layer media type this reader cannot decompress, or one that is not a file-system layer. */
  public static final class UnsupportedLayerException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsupportedLayerException(String message) {
      super(message);
    }
  }

  /**
   * An entry no runtime can unpack: a file, link or device whose name is empty or the root itself (a tar
   * writer given {@code /} as a file's path writes one; unpacked, it would replace the root).
   */
  public static final class UnsafeEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeEntryException(String message) {
      super(message);
    }
  }

  /** The compression of a layer media type, or null when it is not a tar layer type known here. */
  static String compression(String mediaType) {
    if (mediaType == null) {
      return null;
    }
    return switch (mediaType) {
      case MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, MediaTypes.DOCKER_LAYER_GZIP,
          MediaTypes.DOCKER_FOREIGN_LAYER_GZIP -> "gzip";
      case MediaTypes.OCI_LAYER_TAR, "application/vnd.oci.image.layer.nondistributable.v1.tar" -> "none";
      case MediaTypes.OCI_LAYER_ZSTD, "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" -> "zstd";
      default -> null;
    };
  }

  /** Whether {@code mediaType} can be read (zstd needs zstd-jni on the class path). */
  public static boolean canRead(String mediaType) {
    String compression = compression(mediaType);
    return compression != null && (!compression.equals("zstd") || ZstdUtils.isZstdCompressionAvailable());
  }

  /**
   * Reads a layer from {@code blob} (the compressed bytes), calls {@code visitor} for each entry, reads the
   * blob to its end, and returns the digest of the uncompressed tar (to compare with the config's diff ID).
   */
  public static Digest read(InputStream blob, String mediaType, EntryVisitor visitor) throws IOException {
    String compression = compression(mediaType);
    if (compression == null) {
      throw new UnsupportedLayerException("media type " + mediaType + " is not a tar layer");
    }
    InputStream buffered = new BufferedInputStream(blob, 64 * 1024);
    InputStream uncompressed = switch (compression) {
      case "gzip" -> new GZIPInputStream(buffered, 64 * 1024);
      case "zstd" -> {
        if (!ZstdUtils.isZstdCompressionAvailable()) {
          throw new UnsupportedLayerException("media type " + mediaType + " needs zstd, and zstd-jni is not on "
              + "the plugin's class path");
        }
        yield new ZstdCompressorInputStream(buffered);
      }
      default -> buffered;
    };
    MessageDigest diffId = Digest.newSha256();
    DigestInputStream hashed = new DigestInputStream(uncompressed, diffId) {
      @Override
      public long skip(long n) throws IOException { // FilterInputStream's skip would bypass the digest
        return SkipByReading.skip(this, n);
      }
    };
    TarArchiveInputStream tar = new TarArchiveInputStream(hashed);
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      EntryName name = EntryName.of(entry.getName());
      if (name.path().isEmpty() && !entry.isDirectory()) {
        throw new UnsafeEntryException("entry '" + entry.getName() + "' is a " + (entry.isSymbolicLink()
            ? "symbolic link" : entry.isLink() ? "hard link" : entry.isFile() ? "regular file" : "special file")
            + " named as the image root: unpacked, it would replace the root; only a directory may name it");
      }
      visitor.entry(entry, name, tar);
    }
    // the end-of-archive blocks and any padding belong to the diff ID; the rest of the blob to its digest
    byte[] buffer = new byte[64 * 1024];
    while (hashed.read(buffer) >= 0) {
      // hashing in DigestInputStream
    }
    while (blob.read(buffer) >= 0) {
      // the blob stream verifies itself at its end
    }
    return Digest.fromSha256(diffId.digest());
  }
}
