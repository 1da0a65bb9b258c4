package io.github.multiarch.testing.it;

import static io.github.multiarch.testing.it.ItChecks.check;
import static io.github.multiarch.testing.it.ItChecks.deleteDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Helpers of the verify-* integration tests (src/it/verify-*): OCI layouts written by hand with real layers (to
 * hold what the plugin never writes), and checks of the verify goal's summary table and errors in build.log.
 * The hook scripts call it directly: {@code import io.github.multiarch.testing.it.VerifyIt}.
 */
public final class VerifyIt {
  private static final String STATUS = "(PASS|FAIL|WARN|SKIP|-)";
  private static final Pattern SUMMARY_HEADER =
      Pattern.compile("\\[INFO\\]\\s+PLATFORM\\s+REQUIRED\\s+CONSISTENCY\\s+BINARIES\\s+SMOKE\\s+SUPPLY\\s+DETAILS");
  private static final Pattern SUMMARY_ROW = Pattern.compile("^\\[INFO\\]   (\\S+(?: \\(os\\.version [^)]+\\))?)\\s+"
      + STATUS + "\\s+" + STATUS + "\\s+" + STATUS + "\\s+" + STATUS + "\\s+" + STATUS + "\\s*(.*)$");
  private static final Pattern RESULT = Pattern.compile("\\[INFO\\]   result: (PASS|WARN|FAIL)");

  private VerifyIt() {}

  /**
   * An uncompressed layer tar from entries such as [name: 'hello', file: File, mode: 0755],
   * [name: 'x', text: '...'], [name: 'link', symlink: 'target'], [name: 'dir', dir: true]. Names are written as
   * given, '..' and absolute ones included.
   */
  public static byte[] tar(List<? extends Map<String, ?>> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map<String, ?> e : entries) {
        TarArchiveEntry entry;
        byte[] content = null;
        String name = String.valueOf(e.get("name"));
        if (truthy(e.get("dir"))) {
          entry = new TarArchiveEntry(name + "/", true);
          entry.setMode(040755);
        } else if (e.get("symlink") != null) {
          entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
          entry.setLinkName(String.valueOf(e.get("symlink")));
          entry.setMode(0120777);
        } else {
          Object file = e.get("file");
          content = file != null ? ItChecks.bytes(asFile(file)) : text(e).getBytes(StandardCharsets.UTF_8);
          entry = new TarArchiveEntry(name, true);
          entry.setSize(content.length);
          entry.setMode(0100000 | mode(e.get("mode")));
        }
        entry.setModTime(FileTime.fromMillis(0));
        out.putArchiveEntry(entry);
        if (content != null) {
          out.write(content);
        }
        out.closeArchiveEntry();
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Starts an empty OCI layout. */
  public static void initLayout(File layout) {
    deleteDir(layout);
    new File(layout, "blobs/sha256").mkdirs();
    ItChecks.write(new File(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes an image into a layout: gzipped layers of {@code tars}, a config declaring {@code configPlatform}
   * ([os:, architecture:, variant:]), a manifest; returns the index entry carrying {@code entryPlatform}.
   */
  public static Map<String, Object> writeImage(File layout, Map<String, ?> entryPlatform,
      Map<String, ?> configPlatform, List<byte[]> tars, List<?> entrypoint) {
    List<Object> layers = new ArrayList<>();
    List<Object> diffIds = new ArrayList<>();
    for (byte[] tar : tars) {
      layers.add(ItChecks.writeBlob(layout, ItChecks.OCI_LAYER, gzip(tar)));
      diffIds.add(ItChecks.sha256(tar));
    }
    Map<String, Object> config = plainMap(configPlatform);
    config.put("config", map("Entrypoint", plain(entrypoint)));
    Map<String, Object> rootfs = map("type", "layers");
    rootfs.put("diff_ids", diffIds);
    config.put("rootfs", rootfs);
    Map<String, Object> configDescriptor = ItChecks.writeBlob(layout, ItChecks.OCI_CONFIG, ItChecks.toJson(config));
    Map<String, Object> manifest = map("schemaVersion", 2);
    manifest.put("mediaType", ItChecks.OCI_MANIFEST);
    manifest.put("config", configDescriptor);
    manifest.put("layers", layers);
    Map<String, Object> descriptor = ItChecks.writeBlob(layout, ItChecks.OCI_MANIFEST, ItChecks.toJson(manifest));
    descriptor.put("platform", plainMap(entryPlatform));
    return descriptor;
  }

  /** Writes the index over {@code entries} and names it {@code tag} in index.json. */
  public static Map<String, Object> writeIndex(File layout, String tag, List<? extends Map<String, ?>> entries) {
    Map<String, Object> index = map("schemaVersion", 2);
    index.put("mediaType", ItChecks.OCI_INDEX);
    index.put("manifests", plain(entries));
    Map<String, Object> descriptor = ItChecks.writeBlob(layout, ItChecks.OCI_INDEX, ItChecks.toJson(index));
    Map<String, Object> named = new LinkedHashMap<>(descriptor);
    named.put("annotations", map(ItChecks.REF_NAME, String.valueOf(tag)));
    Map<String, Object> top = map("schemaVersion", 2);
    top.put("mediaType", ItChecks.OCI_INDEX);
    top.put("manifests", List.of(named));
    ItChecks.write(new File(layout, "index.json"), ItChecks.toJson(top));
    return descriptor;
  }

  // ------------------------------------------------------------------------------------------- the log

  /**
   * The rows of the verify summary table in build.log: subject → [REQUIRED, CONSISTENCY, BINARIES, SMOKE, SUPPLY,
   * details]. Fails when there is no table.
   */
  public static Map<String, List<String>> summary(String log) {
    List<String> lines = log.lines().toList();
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (SUMMARY_HEADER.matcher(lines.get(i)).matches()) {
        header = i;
        break;
      }
    }
    check(header >= 0, "build.log has no verify summary table:\n" + log);
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : lines.subList(header + 1, lines.size())) {
      Matcher m = SUMMARY_ROW.matcher(line);
      if (!m.matches()) {
        break;
      }
      rows.put(m.group(1), new ArrayList<>(List.of(m.group(2), m.group(3), m.group(4), m.group(5), m.group(6),
          m.group(7))));
    }
    return rows;
  }

  /** The overall result line of the summary: PASS, WARN or FAIL. */
  public static String result(String log) {
    Matcher m = RESULT.matcher(log);
    check(m.find(), "build.log has no verify result line");
    return m.group(1);
  }

  /**
   * For a run that had to fail in multiarch:verify: the build failed there, every expected text is in an [ERROR]
   * line, and there is no stack trace at the default log level.
   */
  public static String assertVerifyFailed(File basedir, List<?> expected) {
    String log = ItChecks.buildLog(basedir);
    ItChecks.assertFailedIn(log, "verify", expected);
    return log;
  }

  // ------------------------------------------------------------------------------------------- helpers

  /** Groovy truth: null, false, 0, empty strings, collections and maps are false. */
  private static boolean truthy(Object value) {
    if (value == null) {
      return false;
    } else if (value instanceof Boolean b) {
      return b;
    } else if (value instanceof Number n) {
      return n.doubleValue() != 0;
    } else if (value instanceof CharSequence s) {
      return s.length() > 0;
    } else if (value instanceof Collection<?> c) {
      return !c.isEmpty();
    } else if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  private static File asFile(Object file) {
    return file instanceof File f ? f : new File(String.valueOf(file));
  }

  private static String text(Map<String, ?> e) {
    Object text = e.get("text");
    if (text == null) {
      throw new IllegalArgumentException("tar entry " + e.get("name") + " has no file, text, symlink or dir");
    }
    return String.valueOf(text);
  }

  /** The entry's permission bits, 0644 when not given (or 0, as Groovy's {@code ?:} had it). */
  private static int mode(Object mode) {
    int bits = mode instanceof Number n ? n.intValue() : mode == null ? 0 : Integer.parseInt(String.valueOf(mode));
    return bits != 0 ? bits : 0644;
  }

  private static Map<String, Object> map(String key, Object value) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(key, value);
    return map;
  }

  private static Map<String, Object> plainMap(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(String.valueOf(key), plain(value)));
    return copy;
  }

  /** A copy for JSON with GStrings (any CharSequence) as Strings, in maps and lists too. */
  private static Object plain(Object value) {
    if (value instanceof CharSequence s) {
      return s.toString();
    } else if (value instanceof Map<?, ?> m) {
      return plainMap(m);
    } else if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(item -> copy.add(plain(item)));
      return copy;
    }
    return value;
  }

}
