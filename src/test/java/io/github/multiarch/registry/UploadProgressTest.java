package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttling of upload progress lines, on a clock the test moves. */
class UploadProgressTest {
  static final long MIB = 1024 * 1024;
  static final long SECOND = 1_000_000_000L;
  final List<String> lines = new ArrayList<>();
  final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  final UploadProgress progress = new UploadProgress(lines::add, clock::get);
  final Digest digest = Digest.sha256("a layer".getBytes(StandardCharsets.UTF_8));

  @Test
  void aQuickUploadPrintsNothing() {
    long size = 100 * MIB;
    for (long sent = 0; sent <= size; sent += MIB) {
      clock.addAndGet(SECOND / 100);
      progress.progress(digest, sent, size);
    }
    progress.completed(digest, size);
    assertEquals(List.of(), lines);
  }

  @Test
  void aSmallBlobPrintsNothingHoweverSlow() {
    long size = MIB - 1;
    for (long sent = 0; sent <= size; sent += 1024) {
      clock.addAndGet(SECOND);
      progress.progress(digest, sent, size);
    }
    progress.completed(digest, size);
    assertEquals(List.of(), lines);
  }

  @Test
  void aSlowUploadPrintsEachTenthAtMostEveryTwoSecondsThenItsEnd() {
    long size = 100 * MIB;
    progress.progress(digest, 0, size);
    // 1 MiB per 100 ms: 10 s for the blob, a tenth per second
    for (long sent = MIB; sent <= size; sent += MIB) {
      clock.addAndGet(SECOND / 10);
      progress.progress(digest, sent, size);
    }
    progress.completed(digest, size);
    assertEquals(List.of(
        "multiarch: uploading sha256:" + digest.shortHex() + "  20% (20.0 MiB of 100.0 MiB)",
        "multiarch: uploading sha256:" + digest.shortHex() + "  40% (40.0 MiB of 100.0 MiB)",
        "multiarch: uploading sha256:" + digest.shortHex() + "  60% (60.0 MiB of 100.0 MiB)",
        "multiarch: uploading sha256:" + digest.shortHex() + "  80% (80.0 MiB of 100.0 MiB)",
        "multiarch: uploaded sha256:" + digest.shortHex() + " (100.0 MiB) in 10 s"), lines);
  }

  @Test
  void aStalledUploadStillSaysSomethingEveryThirtySeconds() {
    long size = 100 * MIB;
    progress.progress(digest, 0, size);
    for (int i = 1; i <= 90; i++) {
      clock.addAndGet(SECOND);
      progress.progress(digest, 5 * MIB + i, size); // stuck in the first tenth
    }
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("   5% (5.0 MiB of 100.0 MiB)"), lines.get(0));
  }

  @Test
  void aRetriedUploadReportsItsTenthsAgain() {
    long size = 10 * MIB;
    progress.progress(digest, 0, size);
    clock.addAndGet(3 * SECOND);
    progress.progress(digest, 9 * MIB, size);
    progress.progress(digest, 0, size); // the attempt failed; the retry starts from 0
    clock.addAndGet(3 * SECOND);
    progress.progress(digest, 5 * MIB, size);
    progress.completed(digest, size);
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains(" 90% "), lines.get(0));
    assertTrue(lines.get(1).contains(" 50% "), lines.get(1));
    assertTrue(lines.get(2).startsWith("multiarch: uploaded sha256:"), lines.get(2));
  }

  @Test
  void blobsUploadingAtOnceAreFollowedApart() {
    Digest other = Digest.sha256("another layer".getBytes(StandardCharsets.UTF_8));
    long size = 10 * MIB;
    progress.progress(digest, 0, size);
    progress.progress(other, 0, size);
    clock.addAndGet(3 * SECOND);
    progress.progress(digest, 3 * MIB, size);
    progress.progress(other, 7 * MIB, size);
    progress.completed(digest, size);
    assertEquals(List.of(
        "multiarch: uploading sha256:" + digest.shortHex() + "  30% (3.0 MiB of 10.0 MiB)",
        "multiarch: uploading sha256:" + other.shortHex() + "  70% (7.0 MiB of 10.0 MiB)",
        "multiarch: uploaded sha256:" + digest.shortHex() + " (10.0 MiB) in 3 s"), lines);
  }
}
