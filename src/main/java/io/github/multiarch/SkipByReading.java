package io.github.multiarch;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@link InputStream#skip} for streams that hash what passes through them: {@code FilterInputStream.skip}
 * would skip in the stream underneath, and the skipped bytes would never reach the digest.
 */
public final class SkipByReading {
  private SkipByReading() {}

  /** Skips up to {@code n} bytes by reading them through {@code in}; returns how many were skipped. */
  public static long skip(InputStream in, long n) throws IOException {
    byte[] buffer = new byte[(int) Math.max(1, Math.min(n, 64 * 1024))];
    long skipped = 0;
    while (skipped < n) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }
}
