package io.github.multiarch.registry;

import io.github.multiarch.oci.MultiarchException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way the engine runs requests side by side (blob copies, manifest lookups, attachments, the sources of
 * an index): at most
 * {@code parallel} at a time on daemon threads, results in the items' order, and the first failure thrown as it
 * is once the others are cancelled and have ended: nothing of the work may still send a request after its caller
 * has been told it failed (a push reported as failed must not go on uploading).
 */
public final class Parallel {
  private static final long END_WAIT_SECONDS = 30;

  private Parallel() {}

  /**
   * {@code work} applied to every item.
   *
   * @param what names the work in the message of an interruption ("copy of blobs interrupted")
   */
  public static <T, R> List<R> map(List<T> items, int parallel, String threadName, String what, Function<T, R> work) {
    if (items.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, items.size())), r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new MultiarchException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MultiarchException(what + " interrupted", e);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      awaitEnd(pool);
    }
  }

  /**
   * Waits for the workers of {@code pool}, just interrupted, to end. A request under way ends at its interruption;
   * the bound only keeps a worker stuck outside any interruptible call from holding the build forever.
   */
  private static void awaitEnd(ExecutorService pool) {
    try {
      pool.awaitTermination(END_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller itself is being stopped: it will not wait
    }
  }

  /** {@code work} started on a daemon thread of its own, its result (or failure) in the future returned. */
  public static <T> CompletableFuture<T> start(String threadName, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, threadName);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** The result of {@code future}, its failure thrown as it was (a runtime exception unwrapped). */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** Waits for {@code future} (null: nothing) to end, whatever its outcome: for clean-up after a failure. */
  public static void awaitQuietly(CompletableFuture<?> future) {
    if (future != null) {
      try {
        future.join();
      } catch (RuntimeException e) {
        // the caller is already failing with the first error; this one would only hide it
      }
    }
  }
}
