package io.github.multiarch.image;

import io.github.multiarch.SkipByReading;
import io.github.multiarch.oci.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Reads a blob while hashing and counting it, and fails as soon as it is longer than its descriptor says, or
 * at its end when it is shorter or does not match the digest: content is verified while it is streamed, never
 * read twice for that.
 */
public final class BlobInputStream extends FilterInputStream {
  private final Descriptor descriptor;
  private final String what;
  private final MessageDigest digest;
  private long count;
  private boolean checked;

  public BlobInputStream(InputStream in, Descriptor descriptor, String what) {
    super(in);
    this.descriptor = descriptor;
    this.what = what;
    this.digest = descriptor.digest().newDigester();
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      finish();
    } else {
      digest.update((byte) b);
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n < 0) {
      finish();
    } else if (n > 0) {
      digest.update(buffer, offset, n);
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException { // through read, so that the digest sees every byte
    return SkipByReading.skip(this, n);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads what is left, so that the whole blob is checked; throws when it does not match its descriptor. */
  public void drain() throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashing and counting happen in read
    }
  }

  /** The number of bytes read so far. */
  public long count() {
    return count;
  }

  private void count(int n) throws IOException {
    count += n;
    if (count > descriptor.size()) {
      throw new IOException(what + " " + descriptor.digest() + " is longer than the " + descriptor.size()
          + " bytes its descriptor says");
    }
  }

  private void finish() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    if (count != descriptor.size()) {
      throw new IOException(what + " " + descriptor.digest() + " is " + count + " bytes, its descriptor says "
          + descriptor.size());
    }
    if (!descriptor.digest().matches(digest.digest())) {
      throw new IOException(what + " " + descriptor.digest() + " does not match its digest: the content is "
          + "corrupt or was replaced");
    }
  }
}
