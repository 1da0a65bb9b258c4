package io.github.multiarch.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Layer tars written entry by entry, including entries no builder would write (for the refusal tests). */
final class Tars {
  private final List<Object[]> entries = new ArrayList<>();

  static Tars layer() {
    return new Tars();
  }

  Tars dir(String name) {
    entries.add(new Object[] {"dir", name, null, 0755});
    return this;
  }

  Tars file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  Tars file(String name, byte[] content, int mode) {
    entries.add(new Object[] {"file", name, content, mode});
    return this;
  }

  Tars file(String name, Path source, int mode) {
    try {
      return file(name, Files.readAllBytes(source), mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Tars symlink(String name, String target) {
    entries.add(new Object[] {"symlink", name, target, 0777});
    return this;
  }

  Tars hardlink(String name, String target) {
    entries.add(new Object[] {"hardlink", name, target, 0644});
    return this;
  }

  /** A whiteout of {@code path}: {@code dir/.wh.name}. */
  Tars whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return file(name, new byte[0], 0644);
  }

  /** The opaque marker of {@code dir}. */
  Tars opaque(String dir) {
    return file(dir + "/.wh..wh..opq", new byte[0], 0644);
  }

  /** The uncompressed tar. */
  byte[] tar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Object[] e : entries) {
        String kind = (String) e[0];
        String name = (String) e[1];
        TarArchiveEntry entry;
        switch (kind) {
          case "dir" -> entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
          case "symlink" -> {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            entry.setLinkName((String) e[2]);
          }
          case "hardlink" -> {
            entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            entry.setLinkName((String) e[2]);
          }
          default -> {
            entry = new TarArchiveEntry(name, true);
            entry.setSize(((byte[]) e[2]).length);
          }
        }
        entry.setMode((kind.equals("dir") ? 040000 : kind.equals("symlink") ? 0120000 : 0100000) | (int) e[3]);
        tar.putArchiveEntry(entry);
        if (kind.equals("file")) {
          tar.write((byte[]) e[2]);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  /** The gzipped tar. */
  byte[] gzip() {
    return gzip(tar());
  }

  static byte[] gzip(byte[] tar) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(tar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
