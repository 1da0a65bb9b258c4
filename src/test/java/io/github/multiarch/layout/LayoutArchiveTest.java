package io.github.multiarch.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutArchiveTest {
  @TempDir
  Path tmp;

  private OciLayout sampleLayout(Path dir) {
    OciLayout layout = OciLayout.create(dir);
    Descriptor config = layout.writeBlob(MediaTypes.OCI_CONFIG, "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
    byte[] big = new byte[100_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    layout.writeBlob(MediaTypes.OCI_LAYER_GZIP, big);
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(config.withMediaType(MediaTypes.OCI_MANIFEST).withAnnotations(Map.of(OciLayout.REF_NAME, "1.0"))),
        Map.of()));
    return layout;
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Test
  void writeThenExtractGivesIdenticalFiles() throws IOException {
    OciLayout layout = sampleLayout(tmp.resolve("src"));
    Path tar = tmp.resolve("out/layout.tar");
    LayoutArchive.write(layout, tar);
    assertTrue(Files.isRegularFile(tar));
    assertFalse(Files.exists(tmp.resolve("out/layout.tar.partial")));

    OciLayout extracted = LayoutArchive.extract(tar, tmp.resolve("extracted"));
    Map<String, byte[]> before = files(layout.root());
    Map<String, byte[]> after = files(extracted.root());
    assertEquals(before.keySet(), after.keySet());
    assertEquals(4, before.size(), before.keySet().toString());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
    assertEquals(List.of("1.0"), extracted.tags());
  }

  @Test
  void writingTwiceGivesIdenticalBytes() throws IOException {
    OciLayout layout = sampleLayout(tmp.resolve("src"));
    Path a = tmp.resolve("a.tar");
    Path b = tmp.resolve("b.tar");
    LayoutArchive.write(layout, a);
    // a second, identical layout elsewhere, written later, gives the same bytes
    OciLayout other = sampleLayout(tmp.resolve("elsewhere/src2"));
    LayoutArchive.write(other, b);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void archiveEntriesAreSortedWithFixedOwnershipAndTimes() throws IOException {
    OciLayout layout = sampleLayout(tmp.resolve("src"));
    Path tar = tmp.resolve("layout.tar");
    LayoutArchive.write(layout, tar);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName());
        assertEquals(0, e.getLongUserId());
        assertEquals(0, e.getLongGroupId());
        assertEquals("", e.getUserName());
        assertEquals("", e.getGroupName());
        assertEquals(0, e.getModTime().getTime());
        assertEquals(e.isDirectory() ? 0755 : 0644, e.getMode() & 07777, e.getName());
      }
    }
    assertEquals(names.stream().sorted().toList(), names);
    assertTrue(names.contains("oci-layout"));
    assertTrue(names.contains("index.json"));
    assertTrue(names.contains("blobs/"));
    assertTrue(names.contains("blobs/sha256/"));
  }

  @Test
  void temporaryFilesAreNotArchived() throws IOException {
    OciLayout layout = sampleLayout(tmp.resolve("src"));
    Path partial = layout.newBlobTempFile();
    Files.writeString(partial, "half a blob");
    Path tar = tmp.resolve("layout.tar");
    LayoutArchive.write(layout, tar);
    List<String> names = entryNames(tar);
    assertTrue(names.stream().noneMatch(n -> n.contains(".partial-")), names.toString());
  }

  @Test
  void extractRefusesAnEntryLeavingTheDirectory() throws IOException {
    Path tar = tmp.resolve("evil.tar");
    writeTar(tar, out -> {
      addFile(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
      addFile(out, "../escaped", "gotcha");
    });
    Path dir = tmp.resolve("x/extract");
    MultiarchException e = assertThrows(MultiarchException.class, () -> LayoutArchive.extract(tar, dir));
    assertTrue(e.getMessage().contains("outside its root"), e.getMessage());
    assertTrue(e.getMessage().contains("../escaped"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("x/escaped")));
  }

  @Test
  void extractRefusesADeeperTraversal() throws IOException {
    Path tar = tmp.resolve("evil.tar");
    writeTar(tar, out -> addFile(out, "blobs/../../../escaped2", "gotcha"));
    Path dir = tmp.resolve("a/b/extract");
    assertThrows(MultiarchException.class, () -> LayoutArchive.extract(tar, dir));
    assertFalse(Files.exists(tmp.resolve("a/escaped2")));
    assertFalse(Files.exists(tmp.resolve("escaped2")));
  }

  @Test
  void extractRefusesASymbolicLink() throws IOException {
    Path tar = tmp.resolve("link.tar");
    writeTar(tar, out -> {
      TarArchiveEntry link = new TarArchiveEntry("blobs", TarConstants.LF_SYMLINK);
      link.setLinkName("/etc");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
      addFile(out, "blobs/passwd", "overwrite");
    });
    Path dir = tmp.resolve("extract");
    MultiarchException e = assertThrows(MultiarchException.class, () -> LayoutArchive.extract(tar, dir));
    assertTrue(e.getMessage().contains("neither a file nor a directory"), e.getMessage());
    assertTrue(e.getMessage().contains("blobs"), e.getMessage());
    assertFalse(Files.isSymbolicLink(dir.resolve("blobs")));
    assertFalse(Files.exists(dir.resolve("blobs")), "nothing is made for the link entry");
  }

  @Test
  void extractRefusesAHardLink() throws IOException {
    Path tar = tmp.resolve("hardlink.tar");
    writeTar(tar, out -> {
      TarArchiveEntry link = new TarArchiveEntry("oci-layout", TarConstants.LF_LINK);
      link.setLinkName("../../etc/passwd");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
    });
    Path dir = tmp.resolve("extract");
    assertThrows(MultiarchException.class, () -> LayoutArchive.extract(tar, dir));
    assertFalse(Files.exists(dir.resolve("oci-layout")));
  }

  @Test
  void extractOfATarWithoutALayoutFailsClearly() throws IOException {
    Path tar = tmp.resolve("notalayout.tar");
    writeTar(tar, out -> addFile(out, "hello.txt", "hi"));
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> LayoutArchive.extract(tar, tmp.resolve("extract")));
    assertTrue(e.getMessage().contains("no OCI layout"), e.getMessage());
  }

  @Test
  void extractOfAMissingFileFailsClearly() {
    Path tar = tmp.resolve("absent.tar");
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> LayoutArchive.extract(tar, tmp.resolve("extract")));
    assertTrue(e.getMessage().contains(tar.toString()), e.getMessage());
  }

  interface TarWriter {
    void write(TarArchiveOutputStream out) throws IOException;
  }

  static void writeTar(Path tar, TarWriter writer) throws IOException {
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      writer.write(out);
      out.finish();
    }
  }

  static void addFile(TarArchiveOutputStream out, String name, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true); // keep the name as given, ../ included
    entry.setSize(bytes.length);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }

  private static List<String> entryNames(Path tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream file = Files.newInputStream(tar); TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
