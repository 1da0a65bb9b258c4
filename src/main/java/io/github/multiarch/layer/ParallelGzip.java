package io.github.multiarch.layer;

import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on several threads whose bytes do not depend on the number of threads, as pigz
 * makes them: the input is cut into blocks of a fixed size, each block is deflated on its own with the 32 KiB
 * before it as its dictionary (RFC 1951 §3.2: a match reaches back at most 32 KiB, so nothing is lost) and
 * ends byte-aligned with a sync flush (an empty stored block), the last one with the final block; the blocks
 * are written in order as one gzip member (RFC 1952) with a fixed header (no name, modification time 0, OS
 * 255, as {@link java.util.zip.GZIPOutputStream} writes it) and the CRC-32 and size of the whole input.
 *
 * <p>Which bytes a block gives depends only on its content and the 32 KiB before it: the default level
 * ({@link Deflater#DEFAULT_COMPRESSION}, zlib's 6), except for a block whose bytes are as evenly spread as
 * random data (already compressed or encrypted content), which is stored: zlib would search it for matches
 * at about 40 MB/s per core only to store it anyway. An input that fits in one block is compressed on the
 * calling thread, and gives the same bytes as {@code GZIPOutputStream} did.
 *
 * <p>Memory stays bounded: at most {@code 2 × threads + 1} blocks are in flight. Compressed blocks are
 * written, and the CRC-32 and the optional digest of the uncompressed bytes are computed, on one writer
 * thread of their own, off the compressing threads and the thread that produces the input.
 */
final class ParallelGzip extends OutputStream {
  /** Fixed whatever the thread count, since it decides where the blocks end and so the bytes. */
  static final int BLOCK_SIZE = 256 * 1024;
  /** The system property that sets how many threads compress (default: the available processors). */
  static final String THREADS_PROPERTY = "multiarch.compressionThreads";
  private static final int WINDOW = 32 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  /** Blocks shorter than this are always deflated: too few bytes to tell random data from text. */
  private static final int MIN_STORED = 64 * 1024;
  /**
   * A block is stored when the chi-square statistic of its byte counts against a uniform spread is below
   * this: random bytes give 255 on average (255 degrees of freedom, standard deviation 22.6), while even the
   * entries of a jar, deflated already, give thousands, and deflate still gains a few percent there.
   */
  private static final long RANDOM_CHI_SQUARE = 512;

  private final OutputStream out;
  private final MessageDigest uncompressedDigest;
  private final int threads;
  private final int blockSize;
  private final int maxBlocks;
  private final CRC32 crc = new CRC32();
  private final BlockingQueue<Block> free;
  private final BlockingQueue<Block> ordered = new LinkedBlockingQueue<>();
  private final Block end = new Block(0);
  private int created;
  private Block current;
  private byte[] window;
  private long size;
  private ExecutorService compressors;
  private Thread writer;
  private volatile IOException failure;
  private boolean closed;

  /**
   * @param out where the gzip stream goes (closed with this stream)
   * @param uncompressedDigest updated with every byte written to this stream, or null
   */
  ParallelGzip(OutputStream out, MessageDigest uncompressedDigest) {
    this(out, uncompressedDigest, defaultThreads(), BLOCK_SIZE);
  }

  /** With {@code threads} compressing threads and blocks of {@code blockSize} bytes (at least 32 KiB). */
  ParallelGzip(OutputStream out, MessageDigest uncompressedDigest, int threads, int blockSize) {
    if (threads < 1 || blockSize < WINDOW) {
      throw new IllegalArgumentException("threads " + threads + " (at least 1), block size " + blockSize
          + " (at least " + WINDOW + ")");
    }
    this.out = out;
    this.uncompressedDigest = uncompressedDigest;
    this.threads = threads;
    this.blockSize = blockSize;
    this.maxBlocks = 2 * threads + 1;
    this.free = new ArrayBlockingQueue<>(maxBlocks);
  }

  /**
   * The value of {@value #THREADS_PROPERTY} when it is set, else the available processors.
   *
   * @throws MultiarchException when it is set to anything but a positive whole number (a system property, not a
   *     configured parameter: an {@code InvalidInputException} would name one)
   */
  static int defaultThreads() {
    String forced = System.getProperty(THREADS_PROPERTY);
    if (forced == null || forced.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int count = Integer.parseInt(forced.trim());
      if (count > 0) {
        return count;
      }
    } catch (NumberFormatException e) {
      // refused below, as a number below 1 is
    }
    throw new MultiarchException("the system property " + THREADS_PROPERTY + " must be a positive whole number "
        + "of threads, such as 2, or unset for one per processor; it is '" + forced + "'");
  }

  /** How many blocks this stream has allocated so far (at most {@code 2 × threads + 1}). */
  int blocksAllocated() {
    return created;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("the compressed stream is closed");
    }
    while (length > 0) {
      if (current == null) {
        current = nextFreeBlock();
      } else if (current.length == blockSize) {
        // a full block is handed over only once more input follows, so the last block is never empty
        submit(current, false);
        current = nextFreeBlock();
      }
      int n = Math.min(length, blockSize - current.length);
      System.arraycopy(bytes, offset, current.input, current.length, n);
      current.length += n;
      offset += n;
      length -= n;
    }
  }

  /** Compresses what is left, writes the trailer and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream target = out) {
      Block last = current != null ? current : new Block(0);
      if (writer == null) {
        // all of it in one block: no thread needed
        out.write(HEADER);
        compress(last, true);
        consume(last);
      } else {
        try {
          submit(last, true);
        } finally {
          stop();
        }
        if (failure != null) {
          throw failed();
        }
      }
      writeTrailer();
    }
  }

  /**
   * The writer thread's failure, as a new exception each time: the stream's user may see it from a write and
   * again from close (try-with-resources would refuse to add an exception to itself as suppressed).
   */
  private IOException failed() {
    return failure instanceof InterruptedIOException ? new InterruptedIOException(failure.getMessage())
        : new IOException(failure.getMessage(), failure);
  }

  /** Lets the writer thread end once it has taken every block handed over, waits for it, ends the compressors. */
  private void stop() throws InterruptedIOException {
    try {
      ordered.put(end);
      writer.join();
    } catch (InterruptedException e) {
      writer.interrupt(); // may be waiting for a block that will not come
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } finally {
      compressors.shutdownNow();
    }
  }

  private Block nextFreeBlock() throws IOException {
    Block block = free.poll();
    if (block == null && created < maxBlocks) {
      created++;
      return new Block(blockSize);
    }
    try {
      block = block != null ? block : free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    }
    block.length = 0;
    return block;
  }

  /** Hands a block to the compressing threads, with the 32 KiB before it as its dictionary. */
  private void submit(Block block, boolean last) throws IOException {
    if (failure != null) {
      throw failed();
    }
    if (writer == null) {
      start();
    }
    block.hasDictionary = window != null;
    if (window != null) {
      System.arraycopy(window, 0, block.dictionary, 0, WINDOW);
    }
    if (!last) {
      window = window != null ? window : new byte[WINDOW];
      System.arraycopy(block.input, block.length - WINDOW, window, 0, WINDOW);
    }
    block.done = compressors.submit(() -> compress(block, last));
    put(block);
  }

  private void start() throws IOException {
    out.write(HEADER);
    compressors = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "multiarch-gzip");
      thread.setDaemon(true);
      return thread;
    });
    writer = new Thread(this::writeInOrder, "multiarch-gzip-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private void put(Block block) throws InterruptedIOException {
    try {
      ordered.put(block);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    }
  }

  /**
   * The writer thread: takes the blocks in input order, waits for each to be compressed, and writes it. After
   * a failure it keeps taking blocks without writing them, so that the producing thread never waits forever.
   */
  private void writeInOrder() {
    while (true) {
      Block block;
      try {
        block = ordered.take();
      } catch (InterruptedException e) {
        failure = new InterruptedIOException("interrupted while compressing");
        return;
      }
      if (block == end) {
        return;
      }
      try {
        block.done.get();
        if (failure == null) {
          consume(block);
        }
      } catch (ExecutionException e) {
        failure = new IOException("cannot compress: " + e.getCause(), e.getCause());
      } catch (IOException e) {
        failure = e;
      } catch (InterruptedException e) {
        failure = new InterruptedIOException("interrupted while compressing");
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure = new IOException("cannot compress: " + e, e);
      }
      free.offer(block);
    }
  }

  /** Adds a compressed block's input to the checksums and writes its output. */
  private void consume(Block block) throws IOException {
    crc.update(block.input, 0, block.length);
    if (uncompressedDigest != null) {
      uncompressedDigest.update(block.input, 0, block.length);
    }
    size += block.length;
    out.write(block.output, 0, block.outputLength);
  }

  private void writeTrailer() throws IOException {
    long value = crc.getValue();
    byte[] trailer = new byte[8];
    for (int i = 0; i < 4; i++) {
      trailer[i] = (byte) (value >>> (8 * i));
      trailer[4 + i] = (byte) (size >>> (8 * i)); // ISIZE: the size modulo 2^32 (RFC 1952 §2.3.1)
    }
    out.write(trailer);
  }

  /** Deflates one block into its output: ended by a sync flush, or for the last block by the final block. */
  private static void compress(Block block, boolean last) {
    boolean store = looksRandom(block.input, block.length);
    Deflater deflater = new Deflater(store ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION, true);
    try {
      if (block.hasDictionary && !store) {
        deflater.setDictionary(block.dictionary, 0, WINDOW);
      }
      deflater.setInput(block.input, 0, block.length);
      if (last) {
        deflater.finish();
      }
      int n = 0;
      while (true) {
        if (block.output.length - n < 1024) {
          block.output = Arrays.copyOf(block.output, block.output.length + Math.max(block.output.length / 2, 4096));
        }
        int space = block.output.length - n;
        int written = deflater.deflate(block.output, n, space, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
        n += written;
        // with a sync flush, a full output buffer may mean more to come (Deflater.deflate)
        if (last ? deflater.finished() : written < space && deflater.needsInput()) {
          break;
        }
      }
      block.outputLength = n;
    } finally {
      deflater.end();
    }
  }

  /** Whether the bytes are spread as evenly as random data: a chi-square test of the byte counts. */
  static boolean looksRandom(byte[] data, int length) {
    if (length < MIN_STORED) {
      return false;
    }
    long[] counts = new long[256];
    for (int i = 0; i < length; i++) {
      counts[data[i] & 0xff]++;
    }
    // chi² = Σ (count − length/256)² / (length/256) = Σ (256·count − length)² / (256·length): whole numbers
    long sum = 0;
    for (long count : counts) {
      long deviation = 256 * count - length;
      sum += deviation * deviation;
    }
    return sum < RANDOM_CHI_SQUARE * 256 * length;
  }

  /** One block: its input, the 32 KiB before it, and once compressed its output. */
  private static final class Block {
    final byte[] input;
    final byte[] dictionary;
    byte[] output;
    int length;
    int outputLength;
    boolean hasDictionary;
    Future<?> done;

    Block(int capacity) {
      input = new byte[capacity];
      dictionary = capacity == 0 ? null : new byte[WINDOW];
      output = new byte[capacity + capacity / 8 + 1024];
    }
  }
}
