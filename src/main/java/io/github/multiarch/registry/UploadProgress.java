package io.github.multiarch.registry;

import io.github.multiarch.Sizes;
import io.github.multiarch.oci.Digest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns upload progress into a few log lines: nothing for a blob smaller than {@link #MIN_SIZE} or one whose upload
 * ends within {@link #INTERVAL_NANOS}; for a longer upload a line each time it reaches another tenth, at most
 * every 2 s (and, when a tenth takes longer than {@link #QUIET_NANOS}, at least every 30 s), then a line when it
 * is done.
 */
public final class UploadProgress implements UploadListener {
  /** Blobs smaller than this (1 MiB) upload without progress lines. */
  public static final long MIN_SIZE = 1024 * 1024;
  /** The least time between two lines of one blob, and before its first line: 2 s. */
  public static final long INTERVAL_NANOS = 2_000_000_000L;
  /** The longest time without a line while a blob is uploading: 30 s. */
  public static final long QUIET_NANOS = 30_000_000_000L;

  private final Consumer<String> sink;
  private final LongSupplier nanoTime;
  private final Map<Digest, State> blobs = new ConcurrentHashMap<>();

  private static final class State {
    final long started;
    long lastLine;
    int lastTenth;
    boolean reported;

    State(long now) {
      this.started = now;
      this.lastLine = now;
    }
  }

  /** Lines go to {@code sink} (the caller decides the log level). */
  public UploadProgress(Consumer<String> sink) {
    this(sink, System::nanoTime);
  }

  /** With a clock of its own, for tests. */
  public UploadProgress(Consumer<String> sink, LongSupplier nanoTime) {
    this.sink = sink;
    this.nanoTime = nanoTime;
  }

  @Override
  public void progress(Digest digest, long sent, long size) {
    if (size < MIN_SIZE) {
      return;
    }
    long now = nanoTime.getAsLong();
    State state = blobs.computeIfAbsent(digest, d -> new State(now));
    String line = null;
    synchronized (state) {
      int tenth = (int) Math.min(10, Math.max(0, sent) * 10 / size);
      if (tenth < state.lastTenth) {
        state.lastTenth = tenth; // a retried upload starts again from 0
      }
      long sinceLine = now - state.lastLine;
      if (sent < size && sinceLine >= INTERVAL_NANOS && (tenth > state.lastTenth || sinceLine >= QUIET_NANOS)) {
        state.lastLine = now;
        state.lastTenth = tenth;
        state.reported = true;
        line = String.format(Locale.ROOT, "multiarch: uploading %s %3d%% (%s of %s)", shortDigest(digest),
            sent * 100 / size, Sizes.human(sent), Sizes.human(size));
      }
    }
    if (line != null) {
      sink.accept(line);
    }
  }

  @Override
  public void completed(Digest digest, long size) {
    State state = blobs.remove(digest);
    if (state != null && state.reported) {
      long seconds = Math.max(1, Math.round((nanoTime.getAsLong() - state.started) / 1e9));
      sink.accept(String.format(Locale.ROOT, "multiarch: uploaded %s (%s) in %d s", shortDigest(digest), Sizes.human(size),
          seconds));
    }
  }

  private static String shortDigest(Digest digest) {
    return "sha256:" + digest.shortHex();
  }

}
