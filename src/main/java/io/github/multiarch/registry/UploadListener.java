package io.github.multiarch.registry;

import io.github.multiarch.oci.Digest;

/**
 * Told how far blob uploads have got. Called from the upload threads (several blobs upload at once, and the HTTP
 * client reports from its own threads): implementations must be thread-safe and quick.
 */
public interface UploadListener {
  /**
   * {@code sent} of the blob's {@code size} bytes have been handed to the connection. Starts at 0 for every
   * attempt, so it goes back to 0 when an upload is retried.
   */
  void progress(Digest digest, long sent, long size);

  /** The registry confirmed the blob (after its last byte, when the upload's final request succeeded). */
  default void completed(Digest digest, long size) {}

  /** Hears nothing. */
  UploadListener NONE = (digest, sent, size) -> {};
}
