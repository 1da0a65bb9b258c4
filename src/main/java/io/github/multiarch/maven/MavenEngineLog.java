package io.github.multiarch.maven;

import io.github.multiarch.EngineLog;
import io.github.multiarch.Timings;
import org.apache.maven.plugin.logging.Log;

/** Forwards the engine's messages to Maven's log. */
final class MavenEngineLog implements EngineLog {
  private final Log log;
  private final Class<?> mojoClass;
  private final Timings timings;

  /**
   * @param mojoClass the goal whose parameter names the engine's messages are given in
   * @param timings where the goal's phases are recorded
   */
  MavenEngineLog(Log log, Class<?> mojoClass, Timings timings) {
    this.log = log;
    this.mojoClass = mojoClass;
    this.timings = timings;
  }

  @Override
  public Timings timings() {
    return timings;
  }

  @Override
  public void info(String message) {
    log.info(ParameterNames.render(mojoClass, message));
  }

  @Override
  public void warn(String message) {
    log.warn(ParameterNames.render(mojoClass, message));
  }

  @Override
  public void debug(String message) {
    log.debug(ParameterNames.render(mojoClass, message));
  }
}
