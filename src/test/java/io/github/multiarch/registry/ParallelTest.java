package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.MultiarchException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Work side by side stops as a whole: the first failure is reported once nothing else of the work runs. */
class ParallelTest {
  @Test
  void resultsComeInTheItemsOrder() {
    assertEquals(List.of(1, 4, 9, 16), Parallel.map(List.of(1, 2, 3, 4), 3, "test", "squares", i -> {
      sleep(i == 1 ? 50 : 0); // the first item ends last
      return i * i;
    }));
  }

  @Test
  void aFailureIsThrownOnlyOnceTheOtherWorkHasEnded() {
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicBoolean slowInterrupted = new AtomicBoolean();
    AtomicBoolean slowEnded = new AtomicBoolean();
    MultiarchException failure = new MultiarchException("quota");
    MultiarchException thrown = assertThrows(MultiarchException.class, () -> Parallel.map(List.of("fails", "slow"), 2,
        "test", "copy", item -> {
          if (item.equals("fails")) {
            await(slowStarted);
            throw failure;
          }
          slowStarted.countDown();
          try {
            Thread.sleep(60_000); // a request waiting for its answer
          } catch (InterruptedException e) {
            slowInterrupted.set(true);
            // what a stopped request still does (closing its session, a last log line), deaf to further interrupts
            sleepThroughInterrupts(300);
          }
          slowEnded.set(true);
          return item;
        }));
    assertSame(failure, thrown, "the first failure, as it was");
    assertTrue(slowInterrupted.get(), "the other work was stopped");
    assertTrue(slowEnded.get(), "the failure was thrown while other work of the same call still ran");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepThroughInterrupts(long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException ignored) {
        // on purpose: this stands for work that does not stop at an interrupt
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
