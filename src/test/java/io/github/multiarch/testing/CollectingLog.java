package io.github.multiarch.testing;

import io.github.multiarch.EngineLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An {@link EngineLog} that keeps every line, prefixed with its level, for assertions. */
public class CollectingLog implements EngineLog {
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {
    lines.add("DEBUG " + message);
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Everything logged, one line each. */
  public String text() {
    return String.join("\n", lines());
  }
}
