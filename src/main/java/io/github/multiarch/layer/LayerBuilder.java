package io.github.multiarch.layer;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer as a reproducible gzipped tar straight into a layout: entries sorted by path, every
 * parent directory explicit, owner and group 0 with no names, one fixed modification time, modes as
 * configured. The uncompressed and compressed digests are computed while streaming, so no layer is ever
 * held in memory, and the same inputs always give the same digest.
 */
public final class LayerBuilder {
  private static final int DIRECTORY_MODE = 0755;
  private static final int BUFFER = 64 * 1024;

  private final FileTime modificationTime;

  /** @param modificationTime the time given to every entry (whole seconds are kept) */
  public LayerBuilder(Instant modificationTime) {
    this.modificationTime = FileTime.from(Instant.ofEpochSecond(modificationTime.getEpochSecond()));
  }

  /** Builds the layer into {@code layout}; {@code parameter} names the configuration in errors. */
  public BuiltLayer build(LayerSpec spec, OciLayout layout, String parameter) {
    Map<String, Entry> entries = collect(spec, parameter);
    Path temp = layout.newBlobTempFile();
    MessageDigest compressed = Digest.newSha256();
    MessageDigest uncompressed = Digest.newSha256();
    try (OutputStream file = new DigestOutputStream(Files.newOutputStream(temp), compressed);
        GZIPOutputStream gzip = new GZIPOutputStream(file, BUFFER);
        OutputStream tarBytes = new BufferedOutputStream(new DigestOutputStream(gzip, uncompressed), BUFFER);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Entry entry : entries.values()) {
        write(tar, entry);
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
    return new BuiltLayer(spec.name(), digest, size, Digest.fromSha256(uncompressed.digest()));
  }

  /**
   * Checks a layer as {@link #build} would (sources exist, targets absolute without {@code ..}, no two
   * sources for one path, no file that is also a parent directory) without writing anything, so that a
   * build can refuse bad input before it touches its output.
   */
  public static void check(LayerSpec spec, String parameter) {
    collect(spec, parameter);
  }

  private enum Kind { DIRECTORY, FILE, SYMLINK }

  private record Entry(String path, Kind kind, int mode, Path source, String linkTarget) {}

  /** All entries of the layer by path in the image (without the leading slash), sorted. */
  private static Map<String, Entry> collect(LayerSpec spec, String parameter) {
    Map<String, Entry> entries = new TreeMap<>();
    for (LayerFile file : spec.files()) {
      String target = normalizeTarget(file.target(), spec.name(), parameter);
      Path source = file.source();
      if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        addDirectoryTree(entries, source, target, file.fileMode(), spec.name(), parameter);
      } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
        put(entries, new Entry(target, Kind.FILE, fileMode(source, file.fileMode()), source, null), spec, parameter);
      } else if (Files.isSymbolicLink(source)) {
        put(entries, symlink(target, source), spec, parameter);
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
    return entries;
  }

  private static void addDirectoryTree(Map<String, Entry> entries, Path dir, String target, Integer mode, String layer,
      String parameter) {
    LayerSpec spec = new LayerSpec(layer, List.of());
    try (Stream<Path> walk = Files.walk(dir, new FileVisitOption[0])) {
      for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
        String relative = dir.relativize(path).toString().replace('\\', '/');
        String entryPath = relative.isEmpty() ? target : target.isEmpty() ? relative : target + "/" + relative;
        if (entryPath.isEmpty()) {
          continue; // the image root itself
        }
        if (Files.isSymbolicLink(path)) {
          put(entries, symlink(entryPath, path), spec, parameter);
        } else if (Files.isDirectory(path)) {
          entries.putIfAbsent(entryPath, new Entry(entryPath, Kind.DIRECTORY, DIRECTORY_MODE, null, null));
        } else if (Files.isRegularFile(path)) {
          put(entries, new Entry(entryPath, Kind.FILE, fileMode(path, mode), path, null), spec, parameter);
        }
        // sockets, pipes and devices have no place in an image built from a project: skipped
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + dir + " for layer '" + layer + "': " + e.getMessage(), e);
    }
  }

  private static Entry symlink(String target, Path link) {
    try {
      return new Entry(target, Kind.SYMLINK, 0777, null, Files.readSymbolicLink(link).toString());
    } catch (IOException e) {
      throw new MultiarchException("cannot read the symbolic link " + link + ": " + e.getMessage(), e);
    }
  }

  private static void put(Map<String, Entry> entries, Entry entry, LayerSpec spec, String parameter) {
    Entry previous = entries.get(entry.path());
    if (previous != null && !(previous.kind() == Kind.DIRECTORY && entry.kind() == Kind.DIRECTORY)) {
      String from = previous.source() != null ? previous.source().toString() : "a directory";
      throw new InvalidInputException(parameter, "layer '" + spec.name() + "': two sources go to /" + entry.path()
          + " (" + from + " and " + (entry.source() != null ? entry.source() : "a symbolic link") + ")");
    }
    entries.put(entry.path(), entry);
  }

  /** {@code /app//lib/} → {@code app/lib}; refuses relative paths and {@code ..}. */
  static String normalizeTarget(String target, String layer, String parameter) {
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

  private static int fileMode(Path source, Integer configured) {
    if (configured != null) {
      return configured;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(source);
      return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    } catch (UnsupportedOperationException | IOException e) {
      return Files.isExecutable(source) ? 0755 : 0644;
    }
  }

  /** Parses a mode such as {@code 755} or {@code 0644}; {@code what} names it in the error. */
  public static int parseMode(String text, String what, String parameter) {
    if (text == null || !text.trim().matches("0?[0-7]{3}")) {
      throw new InvalidInputException(parameter, what + ": mode '" + text
          + "' is not an octal permission such as 644 or 755");
    }
    return Integer.parseInt(text.trim(), 8);
  }

  private void write(TarArchiveOutputStream tar, Entry entry) throws IOException {
    TarArchiveEntry tarEntry;
    switch (entry.kind()) {
      case DIRECTORY -> {
        tarEntry = new TarArchiveEntry(entry.path() + "/");
        tarEntry.setMode(040000 | entry.mode());
      }
      case SYMLINK -> {
        tarEntry = new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK);
        tarEntry.setLinkName(entry.linkTarget());
        tarEntry.setMode(0120000 | entry.mode());
      }
      default -> {
        tarEntry = new TarArchiveEntry(entry.path());
        tarEntry.setMode(0100000 | entry.mode());
        tarEntry.setSize(Files.size(entry.source()));
      }
    }
    tarEntry.setModTime(modificationTime);
    tarEntry.setIds(0, 0);
    tarEntry.setUserName("");
    tarEntry.setGroupName("");
    tar.putArchiveEntry(tarEntry);
    if (entry.kind() == Kind.FILE) {
      long copied = Files.copy(entry.source(), tar);
      if (copied != tarEntry.getSize()) {
        throw new IOException(entry.source() + " changed while it was being added to the layer");
      }
    }
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
