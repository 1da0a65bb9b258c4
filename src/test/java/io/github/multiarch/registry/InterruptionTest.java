package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.testing.CollectingLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read or write stopped by an interruption (another part of the work failed, or the build was cancelled) ends
 * there: it is not retried, and it is not taken for a source that failed.
 */
class InterruptionTest {
  @TempDir
  Path tmp;

  /** A registry that answers its ping and then holds every other request until closed, counting them. */
  static final class HangingRegistry implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger held = new AtomicInteger();
    final CountDownLatch asked = new CountDownLatch(1);
    final CountDownLatch end = new CountDownLatch(1);

    HangingRegistry() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        if (!exchange.getRequestURI().getPath().equals("/v2/")) {
          held.incrementAndGet();
          asked.countDown();
          await(end);
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hanging-registry");
        t.setDaemon(true);
        return t;
      }));
      server.start();
    }

    String host() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      end.countDown();
      server.stop(0);
      if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Runs {@code work} on a thread of its own, interrupts it once {@code registry} holds a request, and returns its
   * failure.
   */
  static RuntimeException interruptedWhileWaiting(HangingRegistry registry, Runnable work) throws InterruptedException {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    });
    worker.start();
    assertTrue(registry.asked.await(30, TimeUnit.SECONDS), "the request never came");
    worker.interrupt();
    worker.join(30_000);
    assertFalse(worker.isAlive(), "the interrupted work did not end");
    return failure.get();
  }

  @Test
  void aRegistryRequestStoppedByAnInterruptionIsNotRetried() throws Exception {
    try (HangingRegistry registry = new HangingRegistry()) {
      CollectingLog log = new CollectingLog();
      RegistryClient client = new RegistryClient(registry.host(), null,
          RegistryOptions.defaults().withInsecureRegistries(Set.of(registry.host())), log);
      RuntimeException failure = interruptedWhileWaiting(registry,
          () -> client.blobExists("it/stopped", Digest.sha256(new byte[0])));
      RegistryException e = assertInstanceOf(RegistryException.class, failure);
      assertEquals(RegistryException.Kind.INTERRUPTED, e.kind(), e.getMessage());
      assertFalse(e.isRetryable());
      assertEquals(1, registry.held.get(), "the request was sent again");
      assertTrue(log.lines().stream().noneMatch(l -> l.contains("retrying")), log.text());
    }
  }

  @Test
  void aReadThroughAMirrorStoppedByAnInterruptionDoesNotFallBackToTheOrigin() throws Exception {
    try (HangingRegistry mirror = new HangingRegistry(); HangingRegistry origin = new HangingRegistry()) {
      CollectingLog log = new CollectingLog();
      RegistryOptions options = RegistryOptions.defaults().withInsecureRegistries(Set.of(mirror.host(), origin.host()));
      MirroredRepository repository = new MirroredRepository(ImageName.parse("image", origin.host() + "/it/base:1"),
          RegistryMirrors.of(Map.of(origin.host(), List.of(mirror.host())), "registryMirrors", (RegistriesConf) null),
          host -> new RegistryClient(host, null, options, log), log);
      RuntimeException failure = interruptedWhileWaiting(mirror,
          () -> repository.fetchBlob(Digest.sha256(new byte[0]), tmp.resolve("blob")));
      RegistryException e = assertInstanceOf(RegistryException.class, failure);
      assertEquals(RegistryException.Kind.INTERRUPTED, e.kind(), e.getMessage());
      assertEquals(0, origin.held.get(), "the origin was asked after the mirror's read was stopped");
      assertTrue(log.lines().stream().noneMatch(l -> l.contains("unavailable")), "a stopped read was reported as a "
          + "mirror that failed:\n" + log.text());
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
