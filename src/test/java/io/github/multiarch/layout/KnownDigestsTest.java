package io.github.multiarch.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownDigestsTest {
  private static final FileTime LAST_YEAR = FileTime.from(Instant.parse("2025-06-01T10:00:00Z"));

  @TempDir
  Path tmp;
  Path cache;

  @BeforeEach
  void cache() throws IOException {
    cache = Files.createDirectories(tmp.resolve("cache"));
  }

  /** A fresh record, as the next build reads it, trusting any time (the tests do not wait). */
  private KnownDigests nextBuild() {
    return KnownDigests.in(cache, 0);
  }

  private Path file(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, LAST_YEAR);
    return file;
  }

  private static byte[] sha256(String content) {
    return Digest.newSha256().digest(content.getBytes(StandardCharsets.UTF_8));
  }

  /** Puts another digest in the record's lines: what the record says is then told apart from what a read gives. */
  private void forgeRecordedDigest(String content) throws IOException {
    Path record = cache.resolve("known-digests");
    List<String> lines = Files.readAllLines(record);
    assertEquals(1, lines.size(), lines.toString());
    String line = lines.get(0);
    Files.writeString(record, line.substring(0, line.lastIndexOf('\t') + 1) + HexFormat.of().formatHex(sha256(content))
        + "\n");
  }

  @Test
  void anUnchangedFileIsNotReadAgainByTheNextBuild() throws IOException {
    Path jar = file("lib.jar", "jar bytes 1");
    assertArrayEquals(sha256("jar bytes 1"), nextBuild().sha256(jar));
    forgeRecordedDigest("what the record says");
    assertArrayEquals(sha256("what the record says"), nextBuild().sha256(jar),
        "the file is as recorded (size, times, inode): its digest comes from the record, the file is not read");
  }

  @Test
  void aFileRewrittenWithItsOldSizeAndTimeIsReadAgain() throws IOException {
    Path jar = file("lib.jar", "jar bytes 1");
    nextBuild().sha256(jar);
    Files.writeString(jar, "jar bytes 2"); // the same inode and size, and the old time set back:
    Files.setLastModifiedTime(jar, LAST_YEAR); // only the status-change time, set by the kernel, tells
    assertArrayEquals(sha256("jar bytes 2"), nextBuild().sha256(jar));
  }

  @Test
  void aReplacedFileWithTheSameSizeAndTimeIsReadAgain() throws IOException {
    Path jar = file("lib.jar", "jar bytes 1");
    nextBuild().sha256(jar);
    Files.delete(jar);
    file("lib.jar", "jar bytes 2"); // perhaps even the same inode number, reused
    assertArrayEquals(sha256("jar bytes 2"), nextBuild().sha256(jar));
  }

  @Test
  void aFileModifiedInTheLastSecondsIsNeverRecorded() throws IOException {
    Path classes = tmp.resolve("Main.class");
    Files.writeString(classes, "bytecode"); // now: its next edit might keep the same time stamps
    assertArrayEquals(sha256("bytecode"), KnownDigests.in(cache).sha256(classes));
    assertFalse(Files.exists(cache.resolve("known-digests")), "nothing recorded");
  }

  @Test
  void aCheckedBlobIsKnownToHoldItsDigestUntilItChanges() throws IOException {
    Path blob = file("blob", "layer bytes");
    Digest digest = Digest.sha256("layer bytes".getBytes(StandardCharsets.UTF_8));
    assertFalse(nextBuild().holds(blob, digest), "not checked yet: the caller reads it");
    nextBuild().checked(blob, digest);
    assertTrue(nextBuild().holds(blob, digest));
    Files.createLink(tmp.resolve("linked into an output"), blob);
    assertTrue(nextBuild().holds(blob, digest), "a hard link to the blob (a build's output) changes nothing");
    assertFalse(nextBuild().holds(blob, Digest.sha256(new byte[1])), "another digest is not known");
    Files.writeString(blob, "other bytes");
    assertFalse(nextBuild().holds(blob, digest), "changed (a new time): read again");
    assertFalse(KnownDigests.none().holds(blob, digest));
  }

  @Test
  void aBlobThisBuildWroteIsKnownAtOnceDespiteItsFreshTimes() throws IOException {
    Path blob = tmp.resolve("blob");
    Files.writeString(blob, "layer bytes"); // now
    Digest digest = Digest.sha256("layer bytes".getBytes(StandardCharsets.UTF_8));
    KnownDigests.in(cache).checked(blob, digest);
    assertFalse(KnownDigests.in(cache).holds(blob, digest), "a fresh file read and checked waits to settle");
    KnownDigests.in(cache).written(blob, digest);
    assertTrue(KnownDigests.in(cache).holds(blob, digest), "a blob written and hashed by this build is known");
    Files.delete(blob);
    Files.writeString(blob, "other layer bytes"); // replaced whole, as a content-addressed store replaces
    assertFalse(KnownDigests.in(cache).holds(blob, digest), "replaced: read again");
  }

  @Test
  void aDamagedRecordOnlyMeansHashingAgain() throws IOException {
    Path jar = file("lib.jar", "jar bytes 1");
    Files.writeString(cache.resolve("known-digests"), jar.toAbsolutePath() + "\tnot a size\t1\t1\tx\tzz\ngarbage\n\t\t\n");
    assertArrayEquals(sha256("jar bytes 1"), nextBuild().sha256(jar));
    List<String> lines = Files.readAllLines(cache.resolve("known-digests"));
    assertTrue(lines.get(lines.size() - 1).endsWith(HexFormat.of().formatHex(sha256("jar bytes 1"))), lines.toString());
  }
}
