package io.github.multiarch.layout;

import io.github.multiarch.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 of files hashed by an earlier build, kept with what the file system says about them, so that a
 * build with nothing changed neither re-reads 50 MB of dependency jars to find its cache key nor re-hashes the
 * cached layers and base layers it takes. A file is hashed again when its size, modification time (to the
 * nanosecond), identity (device and inode) or, for source files, its status-change time differs: git decides
 * what changed from the same metadata. The status-change time ({@code ctime}) is set by the kernel on every
 * write, rename and time change, and cannot be set back, so even a file rewritten with the same size and its
 * old modification time is read again; cached blobs are compared without it, because linking them into a
 * build's output changes it.
 *
 * <p>Two more guards: a digest is recorded only when the file did not change while it was read (its metadata
 * before and after are equal), and never for a file modified in the last {@value #SETTLE_SECONDS} seconds,
 * whose next change might keep the same time stamps on a file system with coarse times (git's "racily clean"
 * entries); only a blob the build wrote itself is recorded at once (see {@link #written}). The record is a text
 * file of one line per file, appended to by concurrent builds (a damaged line is ignored) and rewritten without
 * stale lines when it grows large.
 */
public final class KnownDigests {
  /** Files modified more recently than this are hashed every time (see the class comment). */
  static final long SETTLE_SECONDS = 2;
  private static final String FILE = "known-digests";
  private static final long COMPACT_AT_BYTES = 4L * 1024 * 1024;
  private static final int BUFFER = 256 * 1024;

  /**
   * A file as the file system describes it; equal stamps mean an unchanged file. {@code changedNanos} is the
   * status-change time, or -1 where it is not compared (a blob) or not known (no "unix" attribute view).
   */
  record Stamp(long size, long modifiedNanos, long changedNanos, String identity) {
    static Optional<Stamp> of(Path file, boolean withChangeTime) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
          return Optional.empty();
        }
        long changed = -1;
        if (withChangeTime) {
          try {
            changed = ((FileTime) Files.getAttribute(file, "unix:ctime")).to(TimeUnit.NANOSECONDS);
          } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Windows: no ctime; size, time and identity decide
          }
        }
        Object key = a.fileKey(); // (dev=…,ino=…) on Linux and macOS; none on some file systems
        return Optional.of(new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), changed,
            key == null ? "" : key.toString().replace(' ', '_').replace('\t', '_')));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  private final Path record;
  private final long settleNanos;
  private final Map<String, String> lines = new ConcurrentHashMap<>();

  private KnownDigests(Path record, long settleNanos) {
    this.record = record;
    this.settleNanos = settleNanos;
  }

  /** No record: every file is hashed. */
  public static KnownDigests none() {
    return new KnownDigests(null, 0);
  }

  /** The record kept in {@code directory} (a cache directory); read once, here. */
  public static KnownDigests in(Path directory) {
    return in(directory, TimeUnit.SECONDS.toNanos(SETTLE_SECONDS));
  }

  /** As {@link #in(Path)}, trusting times older than {@code settleNanos} (tests need not wait). */
  static KnownDigests in(Path directory, long settleNanos) {
    KnownDigests known = new KnownDigests(directory.resolve(FILE), settleNanos);
    try {
      if (Files.isRegularFile(known.record)) {
        List<String> all = Files.readAllLines(known.record, StandardCharsets.UTF_8);
        for (String line : all) {
          int tab = line.indexOf('\t');
          if (tab > 0 && line.split("\t", -1).length == 6) {
            known.lines.put(line.substring(0, tab), line); // later lines win
          }
        }
        if (Files.size(known.record) > COMPACT_AT_BYTES) {
          known.compact();
        }
      }
    } catch (IOException | RuntimeException e) {
      // a record that cannot be read only means hashing again
    }
    return known;
  }

  /** The file's SHA-256, from the record when the file is as it was when hashed, else by reading it. */
  public byte[] sha256(Path file) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    Optional<Stamp> before = Stamp.of(absolute, true);
    if (before.isPresent()) {
      byte[] known = lookup(absolute, before.get());
      if (known != null) {
        return known;
      }
    }
    MessageDigest sha = Digest.newSha256();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(absolute)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha.update(buffer, 0, n);
      }
    }
    byte[] digest = sha.digest();
    if (before.isPresent() && before.equals(Stamp.of(absolute, true))) {
      remember(absolute, before.get(), digest, true);
    }
    return digest;
  }

  /**
   * Whether {@code file} is known to hold exactly {@code digest}: hashed earlier with this result and unchanged
   * since. False means "not known", not "different": the caller checks the bytes.
   */
  public boolean holds(Path file, Digest digest) {
    Path absolute = file.toAbsolutePath().normalize();
    byte[] known = Stamp.of(absolute, false).map(stamp -> lookup(absolute, stamp)).orElse(null);
    return known != null && digest.algorithm().equals("sha256")
        && HexFormat.of().formatHex(known).equals(digest.hex());
  }

  /**
   * Checks a blob of {@code layout} against its digest and size ({@link OciLayout#verifyBlob}), unless an earlier
   * build read it with this result and it is unchanged since (its size still the one expected); then records the
   * check for the next build.
   */
  public void verifyBlob(OciLayout layout, Digest digest, long size) {
    Path file = layout.blobPath(digest);
    try {
      if (holds(file, digest) && (size < 0 || Files.size(file) == size)) {
        return;
      }
    } catch (IOException e) {
      // unreadable metadata: the check below reads the file and says what is wrong with it
    }
    layout.verifyBlob(digest, size);
    checked(file, digest);
  }

  /** Records that {@code file}, as it is now, was checked to hold {@code digest} (a blob verified by reading it). */
  public void checked(Path file, Digest digest) {
    rememberBlob(file, digest, true);
  }

  /**
   * Records a blob this build has just written under its digest, having hashed the bytes as they were written (a
   * layer built, a base layer downloaded and checked). Unlike {@link #checked}, its fresh times are trusted: a blob
   * of a content-addressed store is only ever replaced whole, by a new file (a new identity), never changed in
   * place, so the racily-clean case the settling time guards against cannot arise. Without this, the first build
   * after the one that wrote a 50 MB layer read it again only because it was younger than the settling time.
   */
  public void written(Path file, Digest digest) {
    rememberBlob(file, digest, false);
  }

  /** A blob's digest with its stamp (without the status-change time, which linking it into an output changes). */
  private void rememberBlob(Path file, Digest digest, boolean settledOnly) {
    if (!digest.algorithm().equals("sha256")) {
      return;
    }
    Path absolute = file.toAbsolutePath().normalize();
    Stamp.of(absolute, false).ifPresent(stamp -> remember(absolute, stamp, HexFormat.of().parseHex(digest.hex()),
        settledOnly));
  }

  private byte[] lookup(Path file, Stamp stamp) {
    String line = lines.get(file.toString());
    if (line == null) {
      return null;
    }
    String[] f = line.split("\t", -1);
    try {
      Stamp recorded = new Stamp(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]);
      return recorded.equals(stamp) && f[5].length() == 64 ? HexFormat.of().parseHex(f[5]) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void remember(Path file, Stamp stamp, byte[] digest, boolean settledOnly) {
    if (record == null || file.toString().indexOf('\t') >= 0 || file.toString().indexOf('\n') >= 0) {
      return;
    }
    // the clock to the microsecond, not the millisecond: a file's times are finer, and a time stamp set in the
    // current millisecond must not look younger than "now" (with no settling time, as the tests run, it did)
    Instant now = Instant.now();
    long settled = now.getEpochSecond() * 1_000_000_000L + now.getNano() - settleNanos;
    if (settledOnly && Math.max(stamp.modifiedNanos(), stamp.changedNanos()) > settled) {
      return; // too fresh to trust its time stamp next time
    }
    String line = file + "\t" + stamp.size() + "\t" + stamp.modifiedNanos() + "\t" + stamp.changedNanos() + "\t"
        + stamp.identity() + "\t" + HexFormat.of().formatHex(digest);
    if (line.equals(lines.put(file.toString(), line))) {
      return;
    }
    try { // one write per line, appended: concurrent builds sharing the cache interleave whole lines
      Files.writeString(record, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      // a digest not recorded is only hashed again next time
    }
  }

  /** Rewrites the record with one line per file, dropping lines of files that are gone. */
  private void compact() throws IOException {
    List<String> kept = new ArrayList<>();
    lines.forEach((path, line) -> {
      if (Files.isRegularFile(Path.of(path))) {
        kept.add(line);
      }
    });
    Path temp = Files.createTempFile(record.getParent(), FILE, ".tmp");
    Files.write(temp, kept, StandardCharsets.UTF_8);
    Files.move(temp, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
