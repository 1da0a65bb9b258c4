package io.github.multiarch.layer;

import io.github.multiarch.layout.KnownDigests;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer as a reproducible gzipped tar straight into a layout: entries sorted by path, every
 * parent directory explicit, owner and group 0 with no names, one fixed modification time, modes as
 * configured. The uncompressed and compressed digests are computed while streaming, so no layer is ever
 * held in memory, and the same inputs always give the same digest, compressed on all cores ({@link ParallelGzip}).
 *
 * <p>A {@link LayerFormat#WINDOWS Windows} layer holds the same entries below {@code Files/}, with the metadata
 * Windows reads: see {@link WindowsLayers}.
 */
public final class LayerBuilder {
  private static final int DIRECTORY_MODE = 0755;
  private static final int BUFFER = 64 * 1024;

  private final FileTime modificationTime;
  private final LayerCache cache;
  private final AtomicInteger cacheHits = new AtomicInteger();

  /** @param modificationTime the time given to every entry (whole seconds are kept) */
  public LayerBuilder(Instant modificationTime) {
    this(modificationTime, null);
  }

  /**
   * @param modificationTime the time given to every entry (whole seconds are kept)
   * @param cache where built layers are kept between builds, or null to build every layer
   */
  public LayerBuilder(Instant modificationTime, LayerCache cache) {
    this.modificationTime = FileTime.from(Instant.ofEpochSecond(modificationTime.getEpochSecond()));
    this.cache = cache;
    ParallelGzip.defaultThreads(); // refuses a bad thread count before anything is written
  }

  /** How many layers {@link #build} took from the cache. */
  public int cacheHits() {
    return cacheHits.get();
  }

  /**
   * Builds the layer into {@code layout}; {@code parameter} names the configuration in errors. With a
   * cache, a layer whose content and metadata were built before is taken from it (the same bytes: the key
   * covers everything that decides them) instead of being written and compressed again.
   */
  public BuiltLayer build(LayerSpec spec, OciLayout layout, String parameter) {
    return build(spec, LayerFormat.LINUX, layout, parameter);
  }

  /**
   * Builds the layer in {@code format} into {@code layout}, as {@link #build(LayerSpec, OciLayout, String)} does;
   * the format is part of the cache key, so a layer built for Linux is never taken for Windows.
   */
  public BuiltLayer build(LayerSpec spec, LayerFormat format, OciLayout layout, String parameter) {
    Map<String, Entry> entries = collect(spec, format, parameter);
    Map<String, byte[]> sources = null;
    if (cache != null) {
      sources = hashSources(entries, cache.known());
      String key = cacheKey(format, entries, sources);
      Optional<LayerCache.Entry> hit = key == null ? Optional.empty() : cache.lookup(key);
      if (hit.isPresent()) {
        layout.copyCheckedBlobFrom(cache.layout(), hit.get().digest()); // lookup checked it
        cacheHits.incrementAndGet();
        return new BuiltLayer(spec.name(), hit.get().digest(), hit.get().size(), hit.get().diffId(),
            files(entries, sources));
      }
    }
    Map<String, byte[]> written = new HashMap<>();
    BuiltLayer built = write(spec, format, entries, layout, written);
    if (cache != null) {
      // keyed by what was actually written, so a file changed since the lookup is recorded as it was read
      cache.store(cacheKey(format, entries, written), layout, new LayerCache.Entry(built.digest(), built.size(),
          built.diffId()));
    }
    return built;
  }

  /** The layer's regular files in tar order, with the content digests computed while writing or hashing them. */
  private static List<BuiltLayer.FileDigest> files(Map<String, Entry> entries, Map<String, byte[]> contentDigests) {
    List<BuiltLayer.FileDigest> files = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.kind() == Kind.FILE) {
        try {
          files.add(new BuiltLayer.FileDigest("/" + entry.path(), entry.size(),
              Digest.fromSha256(contentDigests.get(entry.path()))));
        } catch (IOException e) {
          throw new MultiarchException("cannot read " + entry.origin() + ": " + e.getMessage(), e);
        }
      }
    }
    return files;
  }

  /** The sha256 of every regular file's content, by entry path; null when a file cannot be read. */
  private static Map<String, byte[]> hashSources(Map<String, Entry> entries, KnownDigests known) {
    Map<String, byte[]> digests = new HashMap<>();
    for (Entry entry : entries.values()) {
      if (entry.kind() != Kind.FILE) {
        continue;
      }
      try { // a file unchanged since an earlier build is not read again (its size, time and inode say so)
        digests.put(entry.path(), entry.source() != null ? known.sha256(entry.source())
            : Digest.newSha256().digest(entry.content()));
      } catch (IOException e) {
        return null; // built (and failing) the ordinary way
      }
    }
    return digests;
  }

  /**
   * The cache key of a layer: sha256 over the cache format, the entries' time, the compressing runtime, for
   * Windows layers the layer format (absent for Linux, so that the keys of Linux layers stay what they were),
   * and each entry's path, kind, mode, link target, and for files size and content digest. Null without digests.
   */
  private String cacheKey(LayerFormat format, Map<String, Entry> entries, Map<String, byte[]> contentDigests) {
    if (contentDigests == null) {
      return null;
    }
    MessageDigest key = Digest.newSha256();
    StringBuilder line = new StringBuilder();
    line.append(LayerCache.FORMAT).append('\n')
        .append("mtime ").append(modificationTime.toInstant().getEpochSecond()).append('\n')
        .append("java ").append(System.getProperty("java.vm.version")).append(' ')
        .append(System.getProperty("os.arch")).append('\n');
    if (format != LayerFormat.LINUX) {
      line.append("layer-format ").append(format).append('\n');
    }
    key.update(line.toString().getBytes(StandardCharsets.UTF_8));
    for (Entry entry : entries.values()) {
      line.setLength(0);
      line.append(entry.kind()).append(' ').append(Integer.toOctalString(entry.mode())).append(' ')
          .append(entry.path().length()).append(':').append(entry.path());
      if (entry.kind() == Kind.SYMLINK) {
        line.append(" -> ").append(entry.linkTarget().length()).append(':').append(entry.linkTarget());
      } else if (entry.kind() == Kind.FILE) {
        byte[] content = contentDigests.get(entry.path());
        if (content == null) {
          return null;
        }
        line.append(' ').append(HexFormat.of().formatHex(content));
      }
      line.append('\n');
      key.update(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(key.digest());
  }

  private BuiltLayer write(LayerSpec spec, LayerFormat format, Map<String, Entry> entries, OciLayout layout,
      Map<String, byte[]> written) {
    Path temp = layout.newBlobTempFile();
    MessageDigest compressed = Digest.newSha256();
    MessageDigest uncompressed = Digest.newSha256();
    try (OutputStream file = new DigestOutputStream(Files.newOutputStream(temp), compressed);
        ParallelGzip gzip = new ParallelGzip(file, uncompressed); // hashes the tar off this thread
        OutputStream tarBytes = new BufferedOutputStream(gzip, BUFFER);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      if (format == LayerFormat.WINDOWS) {
        // Hives/ before Files/, as ko writes them and as Windows' own layers start
        writeWindowsRoot(tar, WindowsLayers.HIVES);
        writeWindowsRoot(tar, WindowsLayers.FILES);
      }
      for (Entry entry : entries.values()) {
        write(tar, format, entry, written);
      }
      tar.finish();
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new MultiarchException("cannot write layer '" + spec.name() + "': " + e.getMessage(), e);
    }
    Digest digest = Digest.fromSha256(compressed.digest());
    long size;
    try {
      size = Files.size(temp);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new MultiarchException("cannot read back layer '" + spec.name() + "': " + e.getMessage(), e);
    }
    layout.adoptBlob(temp, digest);
    return new BuiltLayer(spec.name(), digest, size, Digest.fromSha256(uncompressed.digest()),
        files(entries, written));
  }

  /**
   * Checks a layer as {@link #build} would (sources exist, targets absolute without {@code ..}, no two
   * sources for one path, no file that is also a parent directory) without writing anything, so that a
   * build can refuse bad input before it touches its output.
   */
  public static void check(LayerSpec spec, String parameter) {
    collect(spec, LayerFormat.LINUX, parameter);
  }

  /** {@link #check(LayerSpec, String)} for a layer in {@code format}. */
  public static void check(LayerSpec spec, LayerFormat format, String parameter) {
    collect(spec, format, parameter);
  }

  private enum Kind { DIRECTORY, FILE, SYMLINK }

  /** One tar entry; a file's bytes come from {@code source} on disk, or from {@code content} when made. */
  private record Entry(String path, Kind kind, int mode, Path source, String linkTarget, byte[] content) {
    Entry(String path, Kind kind, int mode, Path source, String linkTarget) {
      this(path, kind, mode, source, linkTarget, null);
    }

    InputStream open() throws IOException {
      return content != null ? new ByteArrayInputStream(content) : Files.newInputStream(source);
    }

    long size() throws IOException {
      return content != null ? content.length : Files.size(source);
    }

    String origin() {
      return source != null ? source.toString() : content != null ? "content made by the build" : "a directory";
    }
  }

  /**
   * All entries of the layer by path in the image (without the leading slash, and for Windows without
   * {@code Files/}), sorted.
   */
  private static Map<String, Entry> collect(LayerSpec spec, LayerFormat format, String parameter) {
    Map<String, Entry> entries = new TreeMap<>();
    for (LayerFile file : spec.files()) {
      String target = normalizeTarget(file.target(), format, spec.name(), parameter);
      Path source = file.source();
      if (target.isEmpty() && (file.isMade() || !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS))) {
        throw new InvalidInputException(parameter, "layer '" + spec.name() + "': target '" + file.target()
            + "' is the image root, which only a directory can be copied to; give the file a path in the image, "
            + "such as /usr/local/bin/" + (source != null && source.getFileName() != null ? source.getFileName()
            : "app"));
      }
      if (file.isMade()) {
        put(entries, new Entry(target, Kind.FILE, file.fileMode(), null, null, file.content()), spec, parameter);
      } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        addDirectoryTree(entries, source, target, file.fileMode(), format, spec.name(), parameter);
      } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
        int mode = LayerFile.modeOf(source, file.fileMode());
        put(entries, new Entry(target, Kind.FILE, mode, source, null), spec, parameter);
      } else if (Files.isSymbolicLink(source)) {
        put(entries, symlink(target, source, format, spec.name(), parameter), spec, parameter);
      } else {
        throw new InvalidInputException(parameter, "layer '" + spec.name() + "': source " + source
            + " does not exist (or is not a file or directory)");
      }
    }
    // every parent directory explicit, so extraction never invents owners or modes
    for (String path : new ArrayList<>(entries.keySet())) {
      int slash = path.lastIndexOf('/');
      while (slash > 0) {
        String parent = path.substring(0, slash);
        Entry existing = entries.get(parent);
        if (existing == null) {
          entries.put(parent, new Entry(parent, Kind.DIRECTORY, DIRECTORY_MODE, null, null));
        } else if (existing.kind() != Kind.DIRECTORY) {
          throw new InvalidInputException(parameter, "layer '" + spec.name() + "': /" + parent
              + " is a file but also the parent directory of /" + path);
        }
        slash = parent.lastIndexOf('/');
      }
    }
    if (format == LayerFormat.WINDOWS) {
      WindowsLayers.refuseCaseClashes(entries.keySet(), spec.name(), parameter);
    }
    return entries;
  }

  private static void addDirectoryTree(Map<String, Entry> entries, Path dir, String target, Integer mode,
      LayerFormat format, String layer, String parameter) {
    LayerSpec spec = new LayerSpec(layer, List.of());
    try (Stream<Path> walk = Files.walk(dir, new FileVisitOption[0])) {
      for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
        String relative = dir.relativize(path).toString().replace('\\', '/');
        String entryPath = relative.isEmpty() ? target : target.isEmpty() ? relative : target + "/" + relative;
        if (entryPath.isEmpty()) {
          continue; // the image root itself
        }
        if (Files.isSymbolicLink(path)) {
          put(entries, symlink(entryPath, path, format, layer, parameter), spec, parameter);
        } else if (Files.isDirectory(path)) {
          entries.putIfAbsent(entryPath, new Entry(entryPath, Kind.DIRECTORY, DIRECTORY_MODE, null, null));
        } else if (Files.isRegularFile(path)) {
          put(entries, new Entry(entryPath, Kind.FILE, LayerFile.modeOf(path, mode), path, null), spec, parameter);
        }
        // sockets, pipes and devices have no place in an image built from a project: skipped
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + dir + " for layer '" + layer + "': " + e.getMessage(), e);
    }
  }

  private static Entry symlink(String target, Path link, LayerFormat format, String layer, String parameter) {
    if (format == LayerFormat.WINDOWS) {
      // hcsshim makes a tar symlink a reparse point (go-winio backuptar, EncodeReparsePointFromTarHeader): a
      // Windows link is either a file or a directory link and its target a Windows path, neither of which a
      // link made on Linux says; ko leaves symlinks out of Windows layers for the same reason. Refused rather
      // than left out, so that no file the configuration names is silently missing.
      throw new InvalidInputException(parameter, "layer '" + layer + "' for a Windows platform: " + link
          + " is a symbolic link, which a Windows layer cannot carry; copy the file or directory it points to "
          + "instead");
    }
    try {
      return new Entry(target, Kind.SYMLINK, 0777, null, Files.readSymbolicLink(link).toString());
    } catch (IOException e) {
      throw new MultiarchException("cannot read the symbolic link " + link + ": " + e.getMessage(), e);
    }
  }

  private static void put(Map<String, Entry> entries, Entry entry, LayerSpec spec, String parameter) {
    Entry previous = entries.get(entry.path());
    if (previous != null && !(previous.kind() == Kind.DIRECTORY && entry.kind() == Kind.DIRECTORY)) {
      throw new InvalidInputException(parameter, "layer '" + spec.name() + "': two sources go to /" + entry.path()
          + " (" + previous.origin() + " and " + (entry.kind() == Kind.SYMLINK ? "a symbolic link" : entry.origin())
          + ")");
    }
    entries.put(entry.path(), entry);
  }

  /**
   * {@code /app//lib/} → {@code app/lib}, {@code /} → the root {@code ""}; refuses relative paths and {@code ..}.
   * For Windows, {@code C:\app\lib} and {@code C:/app/lib} are {@code /app/lib} too (a Windows container has
   * only drive C:, which is the layer's {@code Files/}); other drives are refused.
   */
  static String normalizeTarget(String target, LayerFormat format, String layer, String parameter) {
    target = WindowsLayers.withoutDrive(target, format == LayerFormat.WINDOWS, layer, parameter);
    if (target == null || !target.startsWith("/")) {
      throw new InvalidInputException(parameter, "layer '" + layer + "': target '" + target
          + "' must be an absolute path in the image, such as /app or /usr/local/bin/hello");
    }
    List<String> parts = new ArrayList<>();
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new InvalidInputException(parameter, "layer '" + layer + "': target '" + target
            + "' must not contain '..'");
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  private void write(TarArchiveOutputStream tar, LayerFormat format, Entry entry, Map<String, byte[]> written)
      throws IOException {
    String name = format == LayerFormat.WINDOWS ? WindowsLayers.FILES + "/" + entry.path() : entry.path();
    TarArchiveEntry tarEntry;
    switch (entry.kind()) {
      case DIRECTORY -> {
        tarEntry = new TarArchiveEntry(name + "/");
        tarEntry.setMode(040000 | entry.mode());
      }
      case SYMLINK -> {
        tarEntry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        tarEntry.setLinkName(entry.linkTarget());
        tarEntry.setMode(0120000 | entry.mode());
      }
      default -> {
        tarEntry = new TarArchiveEntry(name);
        tarEntry.setMode(0100000 | entry.mode());
        tarEntry.setSize(entry.size());
      }
    }
    tarEntry.setModTime(modificationTime);
    tarEntry.setIds(0, 0);
    tarEntry.setUserName("");
    tarEntry.setGroupName("");
    if (format == LayerFormat.WINDOWS) {
      WindowsLayers.addMetadata(tarEntry, entry.kind() == Kind.DIRECTORY);
    }
    tar.putArchiveEntry(tarEntry);
    if (entry.kind() == Kind.FILE) {
      MessageDigest content = Digest.newSha256();
      long copied = 0;
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = entry.open()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          content.update(buffer, 0, n);
          tar.write(buffer, 0, n);
          copied += n;
        }
      }
      if (copied != tarEntry.getSize()) {
        throw new IOException(entry.origin() + " changed while it was being added to the layer");
      }
      written.put(entry.path(), content.digest());
    }
    tar.closeArchiveEntry();
  }

  /** {@code Hives/} or {@code Files/}, the layer format's own directories (see {@link WindowsLayers}). */
  private void writeWindowsRoot(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry tarEntry = new TarArchiveEntry(name + "/");
    tarEntry.setMode(040000 | DIRECTORY_MODE);
    tarEntry.setModTime(modificationTime);
    tarEntry.setIds(0, 0);
    tarEntry.setUserName("");
    tarEntry.setGroupName("");
    WindowsLayers.addRootMetadata(tarEntry);
    tar.putArchiveEntry(tarEntry);
    tar.closeArchiveEntry();
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a leftover .partial-* file is harmless
    }
  }
}
