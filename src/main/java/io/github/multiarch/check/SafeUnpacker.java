package io.github.multiarch.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Unpacks layers, in order, into a directory as the image's root file system, refusing every entry that
 * would reach outside it: names with {@code ..}, absolute names, and entries whose parent directory is reached
 * through a symbolic link that leads out of the root (links are resolved inside the root, component by
 * component, never by the operating system). Whiteouts of lower layers' files and opaque directories are
 * applied. Device files and FIFOs are not made (that needs root); owners are not kept.
 */
public final class SafeUnpacker implements LayerReader.EntryVisitor {
  private final RootPath root;
  private final Set<Path> writtenInLayer = new HashSet<>();
  private long files;

  /** @param root an existing, empty directory */
  public SafeUnpacker(Path root) throws IOException {
    this.root = new RootPath(root.toRealPath(), RootPath.AboveRoot.REFUSE);
  }

  public Path root() {
    return root.root();
  }

  /** Regular files written so far. */
  public long files() {
    return files;
  }

  /** Call before the entries of each layer: whiteouts of a layer apply to lower layers only. */
  public void startLayer() {
    writtenInLayer.clear();
  }

  @Override
  public void entry(TarArchiveEntry entry, EntryName name, InputStream content) throws IOException {
    String what = "entry '" + entry.getName() + "'";
    if (name.absolute()) {
      throw new RootPath.EscapeException(what + " has an absolute name; layer entries are relative to the root");
    }
    if (name.dotDot()) {
      throw new RootPath.EscapeException(what + " has a '..' component and would be written outside the root");
    }
    if (name.path().isEmpty()) {
      return; // the root itself
    }
    Path parent = root.directory(name.parent(), true, what);
    if (name.isOpaqueMarker()) {
      clearLowerContent(parent);
      return;
    }
    if (name.isWhiteout()) {
      String deleted = name.fileName().substring(EntryName.WHITEOUT_PREFIX.length());
      if (deleted.equals(".") || deleted.equals("..")) {
        throw new RootPath.EscapeException(what + " is a whiteout of '" + deleted + "'");
      }
      Path target = parent.resolve(deleted);
      if (!writtenInLayer.contains(target)) {
        deleteTree(target);
      }
      return;
    }
    if (name.isWhiteoutName()) {
      return; // AUFS metadata (.wh..wh.plnk, …)
    }
    Path path = parent.resolve(name.fileName());
    if (entry.isDirectory()) {
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(path);
        Files.createDirectory(path);
      }
      setMode(path, entry.getMode() | 0700);
    } else if (entry.isSymbolicLink()) {
      deleteTree(path);
      Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      EntryName target = EntryName.of(entry.getLinkName());
      if (target.absolute() || target.dotDot() || target.path().isEmpty()) {
        throw new RootPath.EscapeException(what + " is a hard link to '" + entry.getLinkName()
            + "', outside the layer's names");
      }
      Path existing = root.directory(target.parent(), false, what).resolve(target.fileName());
      if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(existing)) {
        throw new IOException(what + " is a hard link to '" + entry.getLinkName() + "', which is not a file");
      }
      deleteTree(path);
      Files.createLink(path, existing);
    } else if (entry.isFile()) {
      deleteTree(path);
      try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        content.transferTo(out);
      }
      setMode(path, entry.getMode() | 0600);
      files++;
    } else {
      return; // character and block devices, FIFOs: not made without root, not needed to run a program
    }
    writtenInLayer.add(path);
  }

  private void clearLowerContent(Path dir) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        if (!writtenInLayer.contains(child)) {
          deleteTree(child);
        }
      }
    }
  }

  private static void setMode(Path path, int mode) throws IOException {
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(toText(mode & 0777));
    Files.setPosixFilePermissions(path, permissions);
  }

  private static String toText(int mode) {
    String letters = "rwxrwxrwx";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      s.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
    }
    return s.toString();
  }

  /** Deletes a file, a link (not what it points to) or a directory with everything in it; absent is fine. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(path);
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        dir.toFile().setWritable(true, true);
        dir.toFile().setExecutable(true, true);
        dir.toFile().setReadable(true, true);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
