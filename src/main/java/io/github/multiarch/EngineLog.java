package io.github.multiarch;

/**
 * Where the engine reports progress. The Maven adapter forwards to Maven's log; tests collect the lines.
 * Implementations must be safe to call from several threads.
 */
public interface EngineLog {
  void info(String message);

  void warn(String message);

  void debug(String message);

  /** Where the phases of the work are timed ({@code multiarch.timings} prints them); by default nowhere. */
  default Timings timings() {
    return Timings.OFF;
  }

  /** Discards everything. */
  EngineLog NONE = new EngineLog() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
  };
}
