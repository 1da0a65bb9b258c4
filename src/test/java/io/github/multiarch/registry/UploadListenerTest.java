package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress hook of the upload path against a real registry: every uploaded blob reports from 0 up to its size,
 * never backwards within an attempt, then completes once; blobs the registry already has report nothing. Both the
 * single PUT and the chunked PATCH uploads.
 */
class UploadListenerTest {
  static final int RANDOM_BYTES = 2 * 1024 * 1024 + 321;

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static BuildResult built;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("progress").start();
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm64"), "progress",
        RANDOM_BYTES);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  /** Records every call, per blob, from whichever thread it comes. */
  static final class Recorder implements UploadListener {
    final Map<Digest, List<long[]>> progress = new ConcurrentHashMap<>();
    final Map<Digest, List<Long>> completed = new ConcurrentHashMap<>();

    @Override
    public void progress(Digest digest, long sent, long size) {
      List<long[]> calls = progress.computeIfAbsent(digest, d -> new ArrayList<>());
      synchronized (calls) {
        calls.add(new long[] {sent, size});
      }
    }

    @Override
    public void completed(Digest digest, long size) {
      completed.computeIfAbsent(digest, d -> new ArrayList<>()).add(size);
    }
  }

  PushResult push(String repository, int chunkSize, long monolithicLimit, Recorder recorder) {
    RegistryOptions options = registry.options().withChunking(chunkSize, monolithicLimit);
    CollectingLog log = new CollectingLog();
    return new LayoutPusher(new RegistryClient(registry.host(), null, options, log), log, recorder).push(
        new PushRequest(built.layout(), null, ImageName.parse("image", registry.host() + "/" + repository),
            List.of("1.0"), null, Map.of(), 3));
  }

  static void assertReportedWhole(Recorder recorder, PushResult result) {
    assertEquals(result.uploaded(), recorder.completed.size(), "one completion per uploaded blob");
    recorder.completed.forEach((digest, sizes) -> {
      assertEquals(1, sizes.size(), digest + " completed more than once");
      List<long[]> calls = recorder.progress.get(digest);
      assertTrue(calls != null && !calls.isEmpty(), digest + " completed without progress");
      long size = sizes.get(0);
      assertEquals(0, calls.get(0)[0], digest + " did not start at 0");
      assertEquals(size, calls.get(calls.size() - 1)[0], digest + " did not reach its size");
      for (int i = 1; i < calls.size(); i++) {
        assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0], digest + " went backwards without a retry");
        assertEquals(size, calls.get(i)[1]);
      }
    });
  }

  @Test
  void singlePutUploadsReportTheirBytes() {
    Recorder recorder = new Recorder();
    PushResult result = push("multiarch-test/progress-put", 4 * 1024 * 1024, 64L * 1024 * 1024, recorder);
    assertTrue(result.uploaded() >= 3);
    assertReportedWhole(recorder, result);
    // the big layer was handed over in more than one piece
    assertTrue(recorder.progress.values().stream().anyMatch(calls -> calls.size() > 2), "no intermediate progress");
  }

  @Test
  void chunkedUploadsReportEachChunkAndBlobsAlreadyThereReportNothing() {
    Recorder recorder = new Recorder();
    int chunk = 256 * 1024;
    PushResult result = push("multiarch-test/progress-chunked", chunk, chunk, recorder);
    assertReportedWhole(recorder, result);
    Digest big = recorder.completed.entrySet().stream().filter(e -> e.getValue().get(0) > RANDOM_BYTES)
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    List<long[]> calls = recorder.progress.get(big);
    long size = calls.get(0)[1];
    assertEquals(1 + (size + chunk - 1) / chunk, calls.size(), "0, then one call per chunk");
    for (int i = 1; i < calls.size() - 1; i++) {
      assertEquals((long) i * chunk, calls.get(i)[0]);
    }

    Recorder again = new Recorder();
    PushResult second = push("multiarch-test/progress-chunked", chunk, chunk, again);
    assertEquals(0, second.uploaded());
    assertEquals(Map.of(), again.progress);
    assertEquals(Map.of(), again.completed);
  }
}
