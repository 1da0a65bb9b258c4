package io.github.multiarch.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipTest {
  private static final int BLOCK = ParallelGzip.BLOCK_SIZE;

  @TempDir
  Path tmp;

  /** Text-like bytes that deflate well, but not trivially: words drawn at random from a small vocabulary. */
  static byte[] compressible(int size, long seed) {
    String[] words = {"class", "public", "static", "final", "return", "layer", "image", "digest", "void", "int"};
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
    while (out.size() < size) {
      out.writeBytes((words[random.nextInt(words.length)] + (random.nextInt(7) == 0 ? "\n" : " "))
          .getBytes(StandardCharsets.US_ASCII));
    }
    byte[] bytes = out.toByteArray();
    return Arrays.copyOf(bytes, size);
  }

  static byte[] incompressible(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Compressible, incompressible and compressible again, not on block boundaries: over 9 blocks in all. */
  static byte[] mixed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(compressible(3 * BLOCK + 12345, 1));
    out.writeBytes(incompressible(3 * BLOCK + 777, 2));
    out.writeBytes(compressible(3 * BLOCK - 999, 3));
    return out.toByteArray();
  }

  /** Compresses in writes of {@code chunk} bytes (the output must not depend on how the input is cut). */
  static byte[] gzip(byte[] content, int threads, int chunk, MessageDigest uncompressed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzip gzip = new ParallelGzip(out, uncompressed, threads, BLOCK)) {
      for (int offset = 0; offset < content.length; offset += chunk) {
        gzip.write(content, offset, Math.min(chunk, content.length - offset));
      }
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] gzip) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  @Test
  void sameBytesAtOneTwoAndFourThreadsForCompressibleAndIncompressibleContent() throws IOException {
    for (byte[] content : List.of(compressible(5 * BLOCK + 3, 7), incompressible(5 * BLOCK + 3, 8), mixed())) {
      MessageDigest diffId = Digest.newSha256();
      byte[] one = gzip(content, 1, 64 * 1024, diffId);
      assertArrayEquals(content, gunzip(one), "a gzip reader gets the content back");
      assertEquals(Digest.sha256(content), Digest.fromSha256(diffId.digest()), "the digest of the uncompressed bytes");
      for (int threads : new int[] {2, 4}) {
        assertEquals(Digest.sha256(one), Digest.sha256(gzip(content, threads, 8191, null)), threads + " threads");
      }
      assertEquals(Digest.sha256(one), Digest.sha256(gzip(gunzip(one), 3, 1 << 20, null)),
          "decompressing and compressing again gives the same bytes");
    }
  }

  @Test
  void incompressibleBlocksAreStoredAndCompressibleOnesDeflatedAsWellAsOneStream() throws IOException {
    byte[] random = incompressible(4 * BLOCK, 11);
    byte[] stored = gzip(random, 2, BLOCK, null);
    // 5 bytes per stored block of at most 64 KiB (5 per block of 256 KiB), 5 per sync flush, 18 of header and trailer
    assertTrue(stored.length <= random.length + 4 * (5 * 5 + 5) + 18, "random bytes stored: " + stored.length);
    assertTrue(ParallelGzip.looksRandom(random, BLOCK));

    byte[] text = compressible(6 * BLOCK, 12);
    assertFalse(ParallelGzip.looksRandom(text, BLOCK));
    ByteArrayOutputStream single = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(single)) {
      gzip.write(text);
    }
    int parallel = gzip(text, 2, BLOCK, null).length;
    assertTrue(parallel < text.length / 2, "deflated: " + parallel);
    assertTrue(parallel <= single.size() * 1.01, "within 1% of one deflate stream: " + parallel + " against "
        + single.size());
  }

  @Test
  void contentOfOneBlockGivesTheBytesGzipOutputStreamGave() throws IOException {
    for (byte[] content : List.of(new byte[0], "hello\n".getBytes(StandardCharsets.US_ASCII),
        compressible(BLOCK, 5))) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(expected)) {
        gzip.write(content);
      }
      assertArrayEquals(expected.toByteArray(), gzip(content, 4, 1000, null), content.length + " bytes");
    }
  }

  @Test
  void gzipItselfReadsIt() throws Exception {
    byte[] content = mixed();
    Path file = tmp.resolve("mixed.gz");
    Files.write(file, gzip(content, 4, BLOCK, null));
    Process gunzip = new ProcessBuilder("gzip", "-dc", file.toString()).redirectErrorStream(true).start();
    byte[] out = gunzip.getInputStream().readAllBytes();
    assertTrue(gunzip.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, gunzip.exitValue());
    assertArrayEquals(content, out);
  }

  @Test
  void atMostTwoBlocksPerThreadAndOneMoreAreInFlightWhenTheOutputIsSlow() throws IOException {
    AtomicLong written = new AtomicLong();
    OutputStream slow = new OutputStream() {
      @Override
      public void write(int b) {
        written.incrementAndGet();
      }

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        written.addAndGet(len);
      }
    };
    byte[] block = compressible(BLOCK, 3);
    ParallelGzip gzip = new ParallelGzip(slow, null, 2, BLOCK);
    for (int i = 0; i < 40; i++) {
      gzip.write(block);
      assertTrue(gzip.blocksAllocated() <= 5, "blocks allocated: " + gzip.blocksAllocated());
    }
    gzip.close();
    assertEquals(5, gzip.blocksAllocated(), "the pool was used to its bound, and not beyond");
    assertTrue(written.get() > 0);
  }

  @Test
  void aFailingOutputFailsTheStreamWithoutHanging() {
    byte[] content = incompressible(8 * BLOCK, 4);
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len > 100) {
          throw new IOException("disk full");
        }
      }
    };
    IOException e = assertThrows(IOException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (ParallelGzip gzip = new ParallelGzip(broken, null, 2, BLOCK)) {
        gzip.write(content);
      }
    }));
    assertEquals("disk full", e.getMessage());
  }

  @Test
  void theThreadCountCanBeForcedByASystemProperty() {
    String before = System.getProperty(ParallelGzip.THREADS_PROPERTY);
    try {
      System.setProperty(ParallelGzip.THREADS_PROPERTY, "3");
      assertEquals(3, ParallelGzip.defaultThreads());
      System.clearProperty(ParallelGzip.THREADS_PROPERTY);
      assertEquals(Runtime.getRuntime().availableProcessors(), ParallelGzip.defaultThreads());
      for (String bad : new String[] {"none", "0", "-2"}) {
        System.setProperty(ParallelGzip.THREADS_PROPERTY, bad);
        MultiarchException e = assertThrows(MultiarchException.class, ParallelGzip::defaultThreads);
        assertTrue(e.getMessage().contains("system property " + ParallelGzip.THREADS_PROPERTY
            + " must be a positive whole number"),
            e.getMessage());
        assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      }
    } finally {
      if (before == null) {
        System.clearProperty(ParallelGzip.THREADS_PROPERTY);
      } else {
        System.setProperty(ParallelGzip.THREADS_PROPERTY, before);
      }
    }
  }
}
