package io.github.multiarch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimingsTest {
  @Test
  void phasesAreListedInTheOrderTheyStartedWithTheirThreadWhenNotTheCallers() throws Exception {
    Timings timings = new Timings();
    long outerStart = System.nanoTime();
    try (Timings.Running inner = timings.start("inner")) {
      Thread.sleep(5);
    }
    Thread other = new Thread(() -> timings.record("beside", System.nanoTime()), "helper-thread");
    other.start();
    other.join();
    timings.record("outer", outerStart); // recorded last, started first

    List<Timings.Phase> phases = timings.phases();
    assertEquals(List.of("outer", "inner", "beside"), phases.stream().map(Timings.Phase::name).toList());
    assertTrue(phases.get(1).durationNanos() >= 5_000_000, "the inner phase slept 5 ms");
    assertTrue(phases.get(0).durationNanos() >= phases.get(1).durationNanos(), "outer holds inner");

    List<String> table = timings.table();
    assertEquals(4, table.size());
    assertTrue(table.get(0).contains("START ms") && table.get(0).contains("PHASE"), table.get(0));
    assertTrue(table.get(1).endsWith("  outer"), table.get(1));
    assertTrue(table.get(3).endsWith("  beside  [helper-thread]"), table.get(3));
  }

  @Test
  void offRecordsNothing() {
    try (Timings.Running phase = Timings.OFF.start("ignored")) {
      Timings.OFF.record("also ignored", System.nanoTime());
    }
    assertEquals(List.of(), Timings.OFF.phases());
    assertEquals(List.of(), EngineLog.NONE.timings().phases());
  }
}
