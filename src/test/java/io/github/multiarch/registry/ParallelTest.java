package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.testing.CollectingLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Work side by side stops as a whole: after the first failure nothing of it runs on, and nothing is retried. */
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

  @Test
  void aRegistryRequestStoppedByAnInterruptionIsNotRetried() throws Exception {
    // a registry that answers the ping and then never answers: the request is under way when it is stopped
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger blobRequests = new AtomicInteger();
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch end = new CountDownLatch(1);
    server.createContext("/v2/", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/v2/")) {
        blobRequests.incrementAndGet();
        asked.countDown();
        await(end);
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    try {
      String host = "127.0.0.1:" + server.getAddress().getPort();
      CollectingLog log = new CollectingLog();
      RegistryClient client = new RegistryClient(host, null,
          RegistryOptions.defaults().withInsecureRegistries(Set.of(host)), log);
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      Thread worker = new Thread(() -> {
        try {
          client.blobExists("it/stopped", Digest.sha256(new byte[0]));
        } catch (RuntimeException e) {
          failure.set(e);
        }
      });
      worker.start();
      await(asked);
      worker.interrupt();
      worker.join(30_000);
      RegistryException e = assertInstanceOf(RegistryException.class, failure.get());
      assertEquals(RegistryException.Kind.INTERRUPTED, e.kind(), e.getMessage());
      assertFalse(e.isRetryable());
      assertEquals(1, blobRequests.get(), "the request was sent again");
      assertTrue(log.lines().stream().noneMatch(l -> l.contains("retrying")), log.text());
    } finally {
      end.countDown();
      server.stop(0);
    }
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
