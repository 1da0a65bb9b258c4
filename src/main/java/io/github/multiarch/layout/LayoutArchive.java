package io.github.multiarch.layout;

import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An OCI layout as a single tar file (what {@code skopeo}/{@code podman} call {@code oci-archive:}).
 * Written reproducibly: sorted entries, owner 0, fixed times.
 */
public final class LayoutArchive {
  private LayoutArchive() {}

  /** Writes the layout directory as a tar, streaming each blob; a layout that lacks blobs is refused. */
  public static void write(OciLayout layout, Path tarFile) {
    DeferredBlobs.requireComplete(layout, "cannot write " + tarFile);
    Path root = layout.root();
    Path temp = tarFile.resolveSibling(tarFile.getFileName() + ".partial");
    try {
      Files.createDirectories(tarFile.toAbsolutePath().getParent());
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(root)) {
        paths = walk.filter(p -> !p.equals(root))
            .filter(p -> !p.getFileName().toString().startsWith(".partial-"))
            .sorted((a, b) -> entryName(root, a).compareTo(entryName(root, b)))
            .toList();
      }
      try (OutputStream file = Files.newOutputStream(temp);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path path : paths) {
          boolean dir = Files.isDirectory(path);
          TarArchiveEntry entry = new TarArchiveEntry(entryName(root, path) + (dir ? "/" : ""));
          entry.setModTime(FileTime.fromMillis(0));
          entry.setIds(0, 0);
          entry.setUserName("");
          entry.setGroupName("");
          entry.setMode(dir ? 040755 : 0100644);
          if (!dir) {
            entry.setSize(Files.size(path));
          }
          tar.putArchiveEntry(entry);
          if (!dir) {
            Files.copy(path, tar);
          }
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      Files.move(temp, tarFile, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      OciLayout.deleteQuietly(temp);
      throw new MultiarchException("cannot write the layout tar " + tarFile + ": " + e.getMessage(), e);
    }
  }

  private static String entryName(Path root, Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }

  /**
   * Extracts a layout tar into {@code dir}. Only regular files and directories are accepted, and no entry
   * may leave {@code dir}: an archive is data from elsewhere.
   */
  public static OciLayout extract(Path tarFile, Path dir) {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tarFile);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      Files.createDirectories(dir);
      Path base = dir.toRealPath();
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        names.add(name);
        Path target = base.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(base)) {
          throw new MultiarchException("the layout tar " + tarFile + " has an entry outside its root: " + name);
        }
        // TarArchiveEntry.isFile() is true for link entries too: links are refused explicitly
        boolean link = entry.isSymbolicLink() || entry.isLink();
        if (!link && entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (!link && isRegularFile(entry)) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          throw new MultiarchException("the layout tar " + tarFile + " has an entry that is neither a file nor "
              + "a directory: " + name);
        }
      }
    } catch (IOException e) {
      throw new MultiarchException(tarFile + " is not a readable tar (" + e.getMessage() + "); an oci-archive: is an "
          + "OCI layout in a tar, as skopeo copy ... oci-archive:FILE writes it", e);
    }
    if (names.isEmpty()) {
      throw new MultiarchException(tarFile + " is not a tar, or an empty one; an oci-archive: is an OCI layout in a "
          + "tar, as skopeo copy ... oci-archive:FILE writes it");
    }
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(dir.resolve("index.json"))) {
      throw new MultiarchException("the tar " + tarFile + " holds no OCI layout: it needs oci-layout and index.json "
          + "at its root, and holds " + String.join(", ", names.subList(0, Math.min(names.size(), 5)))
          + (names.size() > 5 ? ", …" : ""));
    }
    return OciLayout.open(dir, tarFile + "!");
  }

  private static boolean isRegularFile(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
  }
}
