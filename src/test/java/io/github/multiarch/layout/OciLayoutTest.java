package io.github.multiarch.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
  @TempDir
  Path tmp;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void createWritesLayoutFileAndEmptyIndex() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("new/layout"));
    Path root = tmp.resolve("new/layout");
    assertEquals(root, layout.root());
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(root.resolve("oci-layout")));
    assertTrue(Files.isDirectory(root.resolve("blobs/sha256")));
    ImageIndex index = layout.readIndexJson();
    assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
    assertTrue(index.manifests().isEmpty());
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
        Files.readString(root.resolve("index.json")));
    assertEquals(List.of(), layout.tags());
  }

  @Test
  void openReadsAnExistingLayout() {
    OciLayout created = OciLayout.create(tmp);
    Descriptor d = created.writeBlob("text/plain", utf8("hello"));
    OciLayout opened = OciLayout.open(tmp);
    assertTrue(opened.hasBlob(d.digest()));
    assertArrayEquals(utf8("hello"), opened.readBlob(d, 100));
  }

  @Test
  void openOfANonLayoutDirectoryFailsClearly() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(dir.resolve("index.json"), "{}");
    MultiarchException e = assertThrows(MultiarchException.class, () -> OciLayout.open(dir));
    assertTrue(e.getMessage().contains("no OCI layout at " + dir), e.getMessage());
    assertTrue(e.getMessage().contains("oci-layout"), e.getMessage());

    MultiarchException missing = assertThrows(MultiarchException.class, () -> OciLayout.open(tmp.resolve("nope")));
    assertTrue(missing.getMessage().contains("not a directory"), missing.getMessage());

    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThrows(MultiarchException.class, () -> OciLayout.open(file));
  }

  @Test
  void writeBlobBytesStoresUnderDigestAndIsIdempotent() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    byte[] content = utf8("{\"a\":1}");
    Descriptor first = layout.writeBlob(MediaTypes.OCI_CONFIG, content);
    assertEquals(Digest.sha256(content), first.digest());
    assertEquals(content.length, first.size());
    assertEquals(MediaTypes.OCI_CONFIG, first.mediaType());
    Path blob = tmp.resolve("blobs/sha256/" + first.digest().hex());
    assertEquals(blob, layout.blobPath(first.digest()));
    assertArrayEquals(content, Files.readAllBytes(blob));

    Descriptor second = layout.writeBlob(MediaTypes.OCI_CONFIG, content);
    assertEquals(first, second);
    assertArrayEquals(content, Files.readAllBytes(blob));
    assertEquals(List.of(blob), blobFiles());
  }

  @Test
  void writeBlobStreamHashesWhileWritingAndIsIdempotent() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    Descriptor first = layout.writeBlob(MediaTypes.OCI_LAYER_GZIP, new ByteArrayInputStream(content));
    assertEquals(Digest.sha256(content), first.digest());
    assertEquals(content.length, first.size());
    Descriptor second = layout.writeBlob(MediaTypes.OCI_LAYER_GZIP, new ByteArrayInputStream(content));
    assertEquals(first, second);
    assertArrayEquals(content, Files.readAllBytes(layout.blobPath(first.digest())));
    assertEquals(1, blobFiles().size(), "no second copy and no temporary file left: " + blobFiles());
    assertEquals(first.digest(), layout.writeBlob("x/y", content).digest(), "bytes and stream agree");
  }

  @Test
  void readBlobDetectsTamperedContent() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor d = layout.writeBlob("text/plain", utf8("original"));
    Files.write(layout.blobPath(d.digest()), utf8("tampered"));  // same length, other bytes
    MultiarchException e = assertThrows(MultiarchException.class, () -> layout.readBlob(d, 1000));
    assertTrue(e.getMessage().contains(d.digest().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("is corrupt: expected " + d.digest() + " (8 bytes), found "
        + io.github.multiarch.oci.Digest.sha256(utf8("tampered")) + " (8 bytes)"), e.getMessage());
  }

  @Test
  void readBlobDetectsAWrongSize() {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor d = layout.writeBlob("text/plain", utf8("12345"));
    Descriptor lying = new Descriptor("text/plain", d.digest(), 6);
    MultiarchException e = assertThrows(MultiarchException.class, () -> layout.readBlob(lying, 1000));
    assertTrue(e.getMessage().contains("expected " + d.digest() + " (6 bytes), found " + d.digest() + " (5 bytes)"),
        e.getMessage());
  }

  @Test
  void readBlobRefusesOverTheLimitAndMissingBlobs() {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor d = layout.writeBlob("text/plain", utf8("0123456789"));
    MultiarchException big = assertThrows(MultiarchException.class, () -> layout.readBlob(d, 9));
    assertTrue(big.getMessage().contains("over the limit of 9"), big.getMessage());
    Descriptor absent = new Descriptor("text/plain", Digest.sha256("absent"), 6);
    MultiarchException missing = assertThrows(MultiarchException.class, () -> layout.readBlob(absent, 100));
    assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    assertFalse(layout.hasBlob(absent.digest()));
  }

  @Test
  void openBlobStreamsVerifiedContent() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor d = layout.writeBlob("text/plain", utf8("stream me"));
    try (InputStream in = layout.openBlob(d.digest())) {
      assertArrayEquals(utf8("stream me"), in.readAllBytes());
    }
  }

  @Test
  void openBlobThrowsAtEndOfATamperedBlob() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    byte[] content = new byte[200_000];
    Descriptor d = layout.writeBlob("application/octet-stream", content);
    byte[] tampered = content.clone();
    tampered[150_000] = 1;
    Files.write(layout.blobPath(d.digest()), tampered);
    try (InputStream in = layout.openBlob(d.digest())) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("does not match its digest " + d.digest()), e.getMessage());
    }
    // byte by byte too
    try (InputStream in = layout.openBlob(d.digest())) {
      assertThrows(IOException.class, () -> {
        while (in.read() >= 0) {
          // drain
        }
      });
    }
  }

  @Test
  void openBlobOfAMissingBlobFails() {
    OciLayout layout = OciLayout.create(tmp);
    Digest absent = Digest.sha256("nothing");
    MultiarchException e = assertThrows(MultiarchException.class, () -> layout.openBlob(absent));
    assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
  }

  @Test
  void copyBlobFromAnotherLayout() throws IOException {
    OciLayout a = OciLayout.create(tmp.resolve("a"));
    OciLayout b = OciLayout.create(tmp.resolve("b"));
    Descriptor d = a.writeBlob("text/plain", utf8("shared"));
    b.copyBlobFrom(a, d.digest(), d.size());
    assertArrayEquals(utf8("shared"), b.readBlob(d, 100));
    b.copyBlobFrom(a, d.digest(), d.size()); // again: nothing to do
    assertArrayEquals(utf8("shared"), Files.readAllBytes(a.blobPath(d.digest())), "source untouched");
  }

  @Test
  void aCorruptBlobIsNeverCopiedAndNamesWhatWasExpectedAndFound() throws IOException {
    OciLayout a = OciLayout.create(tmp.resolve("a"));
    OciLayout b = OciLayout.create(tmp.resolve("b"));
    Descriptor d = a.writeBlob("text/plain", utf8("shared"));
    Files.writeString(a.blobPath(d.digest()), "sharEd"); // same size
    CorruptBlobException e = assertThrows(CorruptBlobException.class, () -> b.copyBlobFrom(a, d.digest(), d.size()));
    assertEquals("blob " + a.blobPath(d.digest()) + " is corrupt: expected " + d.digest() + " (6 bytes), found "
        + io.github.multiarch.oci.Digest.sha256(utf8("sharEd")) + " (6 bytes)", e.getMessage());
    assertFalse(b.hasBlob(d.digest()), "nothing copied");
    Files.writeString(a.blobPath(d.digest()), "shared!"); // another size, the same prefix
    CorruptBlobException size = assertThrows(CorruptBlobException.class, () -> a.verifyBlob(d.digest(), d.size()));
    assertTrue(size.getMessage().contains("(7 bytes)"), size.getMessage());
    assertThrows(CorruptBlobException.class, () -> a.readBlob(d, 100), "readBlob checks the same way");
  }

  @Test
  void resolveByTagAndTheOnlyEntry() {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor one = layout.writeBlob(MediaTypes.OCI_MANIFEST, utf8("{\"one\":1}"));
    Descriptor two = layout.writeBlob(MediaTypes.OCI_MANIFEST, utf8("{\"two\":2}"));
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(one.withAnnotations(Map.of(OciLayout.REF_NAME, "1.0"))), Map.of()));
    assertEquals(one.digest(), layout.resolve(null).digest(), "a single entry is taken without a tag");
    assertEquals(one.digest(), layout.resolve("1.0").digest());

    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, List.of(
        one.withAnnotations(Map.of(OciLayout.REF_NAME, "1.0")),
        two.withAnnotations(Map.of(OciLayout.REF_NAME, "example.com/app:2.0"))), Map.of()));
    assertEquals(List.of("1.0", "example.com/app:2.0"), layout.tags());
    assertEquals(two.digest(), layout.resolve("2.0").digest(), "a full reference name matches its tag");
    assertEquals(two.digest(), layout.resolve("example.com/app:2.0").digest());

    MultiarchException ambiguous = assertThrows(MultiarchException.class, () -> layout.resolve(null));
    assertTrue(ambiguous.getMessage().contains("holds 2 images"), ambiguous.getMessage());
    assertTrue(ambiguous.getMessage().contains("1.0, example.com/app:2.0"), ambiguous.getMessage());

    MultiarchException unknown = assertThrows(MultiarchException.class, () -> layout.resolve("3.0"));
    assertTrue(unknown.getMessage().contains("no tag '3.0'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("1.0, example.com/app:2.0"), unknown.getMessage());
  }

  @Test
  void resolveInAnEmptyLayoutSaysSo() {
    OciLayout layout = OciLayout.create(tmp);
    MultiarchException e = assertThrows(MultiarchException.class, () -> layout.resolve(null));
    assertTrue(e.getMessage().contains("holds 0 images"), e.getMessage());
    assertTrue(e.getMessage().contains("tags: none"), e.getMessage());
    MultiarchException tagged = assertThrows(MultiarchException.class, () -> layout.resolve("x"));
    assertTrue(tagged.getMessage().contains("tags: none"), tagged.getMessage());
  }

  @Test
  void indexJsonRoundTrips() {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor d = new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256("i"), 3)
        .withAnnotations(Map.of(OciLayout.REF_NAME, "latest"));
    ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(d), Map.of());
    layout.writeIndexJson(index);
    assertArrayEquals(index.toBytes(), OciLayout.open(tmp).readIndexJson().toBytes());
    assertFalse(Files.exists(tmp.resolve("index.json.tmp")));
  }

  @Test
  void readIndexJsonReportsCorruption() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    Files.writeString(tmp.resolve("index.json"), "{not json");
    MultiarchException e = assertThrows(MultiarchException.class, layout::readIndexJson);
    assertEquals(tmp.resolve("index.json") + " is not valid JSON: Unexpected character ('n' (code 110)): was "
        + "expecting double-quote to start field name (line 1, column 2)", e.getMessage(), "the parser's text once");
    MultiarchException open = assertThrows(MultiarchException.class, () -> OciLayout.open(tmp));
    assertEquals(e.getMessage(), open.getMessage(), "opening a layout reads its index.json");
  }

  @Test
  void adoptBlobOfExistingDigestDropsTheDuplicate() throws IOException {
    OciLayout layout = OciLayout.create(tmp);
    Descriptor d = layout.writeBlob("text/plain", utf8("same"));
    Path temp = layout.newBlobTempFile();
    Files.write(temp, utf8("same"));
    layout.adoptBlob(temp, d.digest());
    assertFalse(Files.exists(temp));
    assertEquals(1, blobFiles().size());
    assertArrayEquals(utf8("same"), Files.readAllBytes(layout.blobPath(d.digest())));
  }

  private List<Path> blobFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(tmp.resolve("blobs"))) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
