package io.github.multiarch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where a goal's time went: named phases (a base resolved, a layer built, a request answered), each with its
 * start and duration, recorded from any thread and printed once as a table. Phases may overlap (work done side
 * by side) and nest (a request inside a base resolution); the table lists them in the order they started.
 * Recording costs two {@link System#nanoTime()} calls and one list insertion, so a goal always records; only
 * the printing is optional.
 */
public final class Timings {
  /** One finished phase; times in nanoseconds from the start of the recording. */
  public record Phase(String name, long startNanos, long durationNanos, String thread) {}

  /** A phase under way; closing it records it. */
  public interface Running extends AutoCloseable {
    @Override
    void close();
  }

  /** Records nothing: for code run without a goal around it (tests, {@link EngineLog#NONE}). */
  public static final Timings OFF = new Timings(false);

  private final boolean recording;
  private final long origin = System.nanoTime();
  private final List<Phase> phases = new ArrayList<>();

  public Timings() {
    this(true);
  }

  private Timings(boolean recording) {
    this.recording = recording;
  }

  /** Starts a phase; use in try-with-resources. */
  public Running start(String name) {
    long start = System.nanoTime();
    return () -> record(name, start);
  }

  /** Records a phase that began at {@code startNanos} ({@link System#nanoTime()}) and ends now. */
  public void record(String name, long startNanos) {
    if (!recording) {
      return;
    }
    long now = System.nanoTime();
    Phase phase = new Phase(name, startNanos - origin, now - startNanos, Thread.currentThread().getName());
    synchronized (phases) {
      phases.add(phase);
    }
  }

  /** The phases recorded so far, in the order they started. */
  public List<Phase> phases() {
    synchronized (phases) {
      List<Phase> copy = new ArrayList<>(phases);
      copy.sort(Comparator.comparingLong(Phase::startNanos));
      return copy;
    }
  }

  /**
   * The table: one line per phase, {@code start ms  duration ms  phase  [thread]}, the thread shown only for
   * phases that ran beside the calling thread's work.
   */
  public List<String> table() {
    String main = Thread.currentThread().getName();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%9s %9s  %s", "START ms", "TOOK ms", "PHASE"));
    for (Phase phase : phases()) {
      lines.add(String.format(Locale.ROOT, "%9.1f %9.1f  %s%s", phase.startNanos() / 1e6, phase.durationNanos() / 1e6,
          phase.name(), phase.thread().equals(main) ? "" : "  [" + phase.thread() + "]"));
    }
    return lines;
  }
}
