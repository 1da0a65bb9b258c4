package io.github.multiarch.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerBuilderTest {
  static final Instant TIME = Instant.parse("2026-01-01T12:34:56Z");

  @TempDir
  Path tmp;
  Path src;

  /** What a layer's tar holds, entry by entry in order. */
  record TarItem(TarArchiveEntry entry, byte[] content) {
    String path() {
      String name = entry.getName();
      return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
  }

  @BeforeEach
  void sources() throws IOException {
    src = Files.createDirectories(tmp.resolve("src"));
    Path app = Files.createDirectories(src.resolve("app"));
    Files.writeString(app.resolve("readme.txt"), "read me");
    Files.createDirectories(app.resolve("lib/deep"));
    Files.writeString(app.resolve("lib/deep/x.jar"), "jar bytes");
    Path run = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(app.resolve("readme.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(app.resolve("start"), Path.of("run.sh"));
    Files.writeString(src.resolve("hello"), "hello binary");
    Files.setPosixFilePermissions(src.resolve("hello"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(src.resolve("config.yml"), "a: 1\n");
  }

  private LayerSpec spec() {
    return new LayerSpec("app", List.of(
        new LayerFile(src.resolve("app"), "/opt/app", null),
        new LayerFile(src.resolve("hello"), "/usr/local/bin/hello", null),
        new LayerFile(src.resolve("config.yml"), "/etc/app/config.yml", null)));
  }

  static List<TarItem> readLayer(Path blob) throws IOException {
    List<TarItem> items = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        items.add(new TarItem(entry, tar.readAllBytes()));
      }
    }
    return items;
  }

  static Map<String, TarItem> byPath(List<TarItem> items) {
    Map<String, TarItem> map = new LinkedHashMap<>();
    items.forEach(i -> map.put(i.path(), i));
    return map;
  }

  private BuiltLayer build(Instant time, LayerSpec spec, Path layoutDir) {
    return new LayerBuilder(time).build(spec, OciLayout.create(layoutDir), "layers");
  }

  @Test
  void sameInputsGiveTheSameDigestInTwoLayouts() throws IOException {
    BuiltLayer a = build(TIME, spec(), tmp.resolve("layout-a"));
    BuiltLayer b = build(TIME, spec(), tmp.resolve("layout-b"));
    assertEquals(a.digest(), b.digest());
    assertEquals(a.diffId(), b.diffId());
    assertEquals(a.size(), b.size());
    assertArrayEquals(Files.readAllBytes(OciLayout.open(tmp.resolve("layout-a")).blobPath(a.digest())),
        Files.readAllBytes(OciLayout.open(tmp.resolve("layout-b")).blobPath(b.digest())));
    assertEquals("app", a.name());
  }

  @Test
  void aDifferentTimeOrContentGivesAnotherDigest() throws IOException {
    BuiltLayer a = build(TIME, spec(), tmp.resolve("a"));
    BuiltLayer later = build(TIME.plusSeconds(1), spec(), tmp.resolve("b"));
    assertNotEquals(a.digest(), later.digest());
    Files.writeString(src.resolve("config.yml"), "a: 2\n");
    BuiltLayer changed = build(TIME, spec(), tmp.resolve("c"));
    assertNotEquals(a.digest(), changed.digest());
  }

  @Test
  void digestsAndSizeDescribeTheBlob() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec(), layout, "layers");
    Path blob = layout.blobPath(layer.digest());
    assertTrue(Files.isRegularFile(blob));
    assertEquals(Digest.sha256(Files.readAllBytes(blob)), layer.digest());
    assertEquals(Files.size(blob), layer.size());
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      tar = in.readAllBytes();
    }
    assertEquals(Digest.sha256(tar), layer.diffId());
    assertNotEquals(layer.digest(), layer.diffId());
    try (Stream<Path> files = Files.list(tmp.resolve("layout/blobs"))) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".partial-")),
          "no temporary file left behind");
    }
  }

  @Test
  void entriesAreSortedWithEveryParentDirectoryExplicit() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec(), layout, "layers");
    List<TarItem> items = readLayer(layout.blobPath(layer.digest()));
    List<String> paths = items.stream().map(TarItem::path).toList();
    assertEquals(paths.stream().sorted().toList(), paths, "sorted");
    assertEquals(List.of(
        "etc", "etc/app", "etc/app/config.yml",
        "opt", "opt/app", "opt/app/lib", "opt/app/lib/deep", "opt/app/lib/deep/x.jar",
        "opt/app/readme.txt", "opt/app/run.sh", "opt/app/start",
        "usr", "usr/local", "usr/local/bin", "usr/local/bin/hello"), paths);
    Map<String, TarItem> map = byPath(items);
    for (String path : paths) {
      for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        String parent = path.substring(0, slash);
        assertTrue(map.containsKey(parent), "parent " + parent + " of " + path);
        assertTrue(map.get(parent).entry().isDirectory(), parent + " is a directory entry");
        assertTrue(paths.indexOf(parent) < paths.indexOf(path), parent + " comes before " + path);
      }
      assertFalse(path.startsWith("/"), "relative names: " + path);
    }
  }

  @Test
  void ownershipIsRootWithoutNamesAndTimesAreFixed() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME.plusMillis(789)).build(spec(), layout, "layers");
    for (TarItem item : readLayer(layout.blobPath(layer.digest()))) {
      TarArchiveEntry e = item.entry();
      assertEquals(0, e.getLongUserId(), e.getName());
      assertEquals(0, e.getLongGroupId(), e.getName());
      assertEquals("", e.getUserName(), e.getName());
      assertEquals("", e.getGroupName(), e.getName());
      assertEquals(TIME, e.getLastModifiedTime().toInstant(), "whole seconds of the configured time: " + e.getName());
    }
  }

  @Test
  void epochTimeGivesEpochEntries() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(Instant.EPOCH).build(spec(), layout, "layers");
    List<TarItem> items = readLayer(layout.blobPath(layer.digest()));
    assertFalse(items.isEmpty());
    for (TarItem item : items) {
      assertEquals(0L, item.entry().getModTime().getTime(), item.entry().getName());
    }
  }

  @Test
  void modesFollowTheSourceUnlessConfigured() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec(), layout, "layers");
    Map<String, TarItem> map = byPath(readLayer(layout.blobPath(layer.digest())));
    assertEquals(0755, map.get("opt/app/run.sh").entry().getMode() & 07777, "executable source");
    assertEquals(0755, map.get("usr/local/bin/hello").entry().getMode() & 07777, "owner-executable source");
    assertEquals(0644, map.get("opt/app/readme.txt").entry().getMode() & 07777, "0600 source becomes 0644");
    assertEquals(0644, map.get("etc/app/config.yml").entry().getMode() & 07777);
    for (String dir : List.of("etc", "opt", "opt/app", "opt/app/lib", "usr/local/bin")) {
      TarArchiveEntry e = map.get(dir).entry();
      assertTrue(e.isDirectory(), dir);
      assertEquals(0755, e.getMode() & 07777, dir);
      assertEquals(040000, e.getMode() & 0170000, dir + " has the directory type bits");
    }
    assertEquals(0100000, map.get("etc/app/config.yml").entry().getMode() & 0170000, "regular file type bits");
  }

  @Test
  void configuredModeWins() throws IOException {
    LayerSpec spec = new LayerSpec("modes", List.of(
        new LayerFile(src.resolve("hello"), "/bin/hello", 0700),
        new LayerFile(src.resolve("config.yml"), "/etc/config.yml", 0755),
        new LayerFile(src.resolve("app"), "/app", 0640)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    Map<String, TarItem> map = byPath(readLayer(layout.blobPath(layer.digest())));
    assertEquals(0700, map.get("bin/hello").entry().getMode() & 07777);
    assertEquals(0755, map.get("etc/config.yml").entry().getMode() & 07777);
    assertEquals(0640, map.get("app/run.sh").entry().getMode() & 07777, "applies to files of a directory too");
    assertEquals(0640, map.get("app/lib/deep/x.jar").entry().getMode() & 07777);
    assertEquals(0755, map.get("app/lib").entry().getMode() & 07777, "but not to directories");
  }

  @Test
  void contentIsCopiedExactly() throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec(), layout, "layers");
    Map<String, TarItem> map = byPath(readLayer(layout.blobPath(layer.digest())));
    assertEquals("hello binary", new String(map.get("usr/local/bin/hello").content(), StandardCharsets.UTF_8));
    assertEquals("jar bytes", new String(map.get("opt/app/lib/deep/x.jar").content(), StandardCharsets.UTF_8));
    assertEquals(12, map.get("usr/local/bin/hello").entry().getSize());
  }

  @Test
  void madeContentIsWrittenLikeAFileAndCachedByItsBytes() throws IOException {
    LayerSpec spec = new LayerSpec("made", List.of(LayerFile.made("/app/jib-main-class-file",
        "com.example.Main".getBytes(StandardCharsets.UTF_8))));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    Map<String, TarItem> map = byPath(readLayer(layout.blobPath(layer.digest())));
    assertEquals(List.of("app", "app/jib-main-class-file"), new ArrayList<>(map.keySet()));
    assertEquals("com.example.Main", new String(map.get("app/jib-main-class-file").content(), StandardCharsets.UTF_8));
    assertEquals(0100644, map.get("app/jib-main-class-file").entry().getMode());
    assertEquals(TIME.getEpochSecond() * 1000, map.get("app/jib-main-class-file").entry().getModTime().getTime());

    // through the cache: the same bytes are a hit with the same digest, other bytes are not
    LayerCache cache = LayerCache.open(tmp.resolve("cache"));
    BuiltLayer first = new LayerBuilder(TIME, cache).build(spec, OciLayout.create(tmp.resolve("a")), "layers");
    LayerBuilder again = new LayerBuilder(TIME, cache);
    assertEquals(first.digest(), again.build(new LayerSpec("made", List.of(LayerFile.made("/app/jib-main-class-file",
        "com.example.Main".getBytes(StandardCharsets.UTF_8)))), OciLayout.create(tmp.resolve("b")), "layers").digest());
    assertEquals(1, again.cacheHits());
    BuiltLayer other = again.build(new LayerSpec("made", List.of(LayerFile.made("/app/jib-main-class-file",
        "com.example.Other".getBytes(StandardCharsets.UTF_8)))), OciLayout.create(tmp.resolve("c")), "layers");
    assertEquals(1, again.cacheHits());
    assertTrue(!other.digest().equals(first.digest()));
    assertEquals(first.digest(), layer.digest(), "cached or not, the same bytes");
  }

  @Test
  void symbolicLinksStaySymbolicLinks() throws IOException {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "target of a link");
    Path linkFile = Files.createSymbolicLink(src.resolve("link-to-outside"), outside);
    LayerSpec spec = new LayerSpec("links", List.of(
        new LayerFile(src.resolve("app"), "/app", null),
        new LayerFile(linkFile, "/etc/linked", null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    Map<String, TarItem> map = byPath(readLayer(layout.blobPath(layer.digest())));
    TarArchiveEntry start = map.get("app/start").entry();
    assertTrue(start.isSymbolicLink(), "a link inside a directory source");
    assertEquals("run.sh", start.getLinkName());
    assertEquals(0, start.getSize());
    TarArchiveEntry linked = map.get("etc/linked").entry();
    assertTrue(linked.isSymbolicLink(), "a link given as the source itself");
    assertEquals(outside.toString(), linked.getLinkName());
    assertEquals(0, map.get("etc/linked").content().length, "the link's target is not copied");
  }

  @Test
  void directorySourceAtTheImageRoot() throws IOException {
    LayerSpec spec = new LayerSpec("root", List.of(new LayerFile(src.resolve("app/lib"), "/", null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    List<String> paths = readLayer(layout.blobPath(layer.digest())).stream().map(TarItem::path).toList();
    assertEquals(List.of("deep", "deep/x.jar"), paths);
  }

  @Test
  void targetsAreNormalized() throws IOException {
    LayerSpec spec = new LayerSpec("n", List.of(new LayerFile(src.resolve("hello"), "//usr/./bin//hello/", null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    List<String> paths = readLayer(layout.blobPath(layer.digest())).stream().map(TarItem::path).toList();
    assertEquals(List.of("usr", "usr/bin", "usr/bin/hello"), paths);
  }

  @Test
  void duplicateTargetsFromTwoSourcesAreRefused() {
    LayerSpec spec = new LayerSpec("dup", List.of(
        new LayerFile(src.resolve("hello"), "/bin/tool", null),
        new LayerFile(src.resolve("config.yml"), "/bin/tool", null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, layout, "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("/bin/tool"), e.getMessage());
    assertTrue(e.getMessage().contains("hello") && e.getMessage().contains("config.yml"), e.getMessage());
    assertTrue(e.getMessage().contains("'dup'"), e.getMessage());
  }

  @Test
  void duplicateFilesFromTwoDirectoriesAreRefused() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("readme.txt"), "another readme");
    LayerSpec spec = new LayerSpec("dup", List.of(
        new LayerFile(src.resolve("app"), "/app", null),
        new LayerFile(other, "/app", null)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout")), "platforms"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("/app/readme.txt"), e.getMessage());
  }

  @Test
  void twoDirectoriesMayShareParents() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("other/extra"));
    Files.writeString(other.resolve("more.txt"), "more");
    LayerSpec spec = new LayerSpec("merge", List.of(
        new LayerFile(src.resolve("app"), "/app", null),
        new LayerFile(tmp.resolve("other"), "/app", null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    Map<String, TarItem> map = byPath(readLayer(layout.blobPath(layer.digest())));
    assertTrue(map.containsKey("app/extra/more.txt"));
    assertTrue(map.containsKey("app/readme.txt"));
  }

  @Test
  void aFileCannotBeTheParentOfAnother() {
    LayerSpec spec = new LayerSpec("clash", List.of(
        new LayerFile(src.resolve("hello"), "/opt/tool", null),
        new LayerFile(src.resolve("config.yml"), "/opt/tool/config.yml", null)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout")), "layers"));
    assertTrue(e.getMessage().contains("/opt/tool is a file"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"usr/bin/hello", "relative", "./x", ""})
  void relativeTargetsAreRefused(String target) {
    LayerSpec spec = new LayerSpec("rel", List.of(new LayerFile(src.resolve("hello"), target, null)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout")), "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("'" + target + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("absolute"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/../etc/passwd", "/app/../../x", "/app/.."})
  void dotDotIsRefused(String target) {
    LayerSpec spec = new LayerSpec("up", List.of(new LayerFile(src.resolve("hello"), target, null)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout")), "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("'..'"), e.getMessage());
  }

  @Test
  void nullTargetIsRefused() {
    LayerSpec spec = new LayerSpec("none", List.of(new LayerFile(src.resolve("hello"), null, null)));
    assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout")), "layers"));
  }

  @Test
  void missingSourceIsRefused() {
    Path missing = src.resolve("not-there");
    LayerSpec spec = new LayerSpec("gone", List.of(new LayerFile(missing, "/x", null)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout")), "layers"));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void longNamesAreKeptAndTheirExtendedHeadersAreReproducibleToo() throws IOException {
    String longName = "a-really-long-directory-name-" + "x".repeat(60) + "/and-an-even-longer-file-name-"
        + "y".repeat(60) + ".txt";
    LayerSpec spec = new LayerSpec("long", List.of(new LayerFile(src.resolve("config.yml"), "/" + longName, null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    Path blob = layout.blobPath(layer.digest());
    Map<String, TarItem> map = byPath(readLayer(blob));
    assertTrue(map.containsKey(longName), map.keySet().toString());
    assertEquals("a: 1\n", new String(map.get(longName).content(), StandardCharsets.UTF_8));

    // every raw header, extended (PAX) headers included, carries the fixed time and owner
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      tar = in.readAllBytes();
    }
    int paxHeaders = 0;
    for (int offset = 0; offset + 512 <= tar.length; ) {
      if (tar[offset] == 0) {
        break; // end of archive
      }
      char type = (char) tar[offset + 156];
      long size = octal(tar, offset + 124, 12);
      assertEquals(TIME.getEpochSecond(), octal(tar, offset + 136, 12), "mtime of a '" + type + "' header");
      assertEquals(0, octal(tar, offset + 108, 8), "uid of a '" + type + "' header");
      assertEquals(0, octal(tar, offset + 116, 8), "gid of a '" + type + "' header");
      if (type == 'x') {
        paxHeaders++;
      }
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    assertTrue(paxHeaders > 0, "a name over 100 characters needs an extended header");
  }

  private static long octal(byte[] block, int offset, int length) {
    String text = new String(block, offset, length, StandardCharsets.US_ASCII).replace("\0", "").trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  @Test
  void parseModeAcceptsOctal() {
    assertEquals(0644, LayerFile.parseMode("644", "file x", "layers"));
    assertEquals(0755, LayerFile.parseMode("0755", "file x", "layers"));
    assertEquals(0700, LayerFile.parseMode(" 700 ", "file x", "layers"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"955", "0988", "abc", "75", "07555", "-644", "0o644", ""})
  void parseModeRefusesWhatIsNotAnOctalPermission(String text) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> LayerFile.parseMode(text, "file /bin/x", "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("file /bin/x"), e.getMessage());
  }

  @Test
  void parseModeRefusesNull() {
    assertThrows(InvalidInputException.class, () -> LayerFile.parseMode(null, "x", "layers"));
  }

  @Test
  void aLargeFileIsStreamedThrough() throws Exception {
    Path big = tmp.resolve("big.bin");
    MessageDigest sourceSha = Digest.newSha256();
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; total < 20L * 1024 * 1024; i++) {
        for (int j = 0; j < chunk.length; j++) {
          chunk[j] = (byte) ((i * 7919 + j * 31) ^ (j >>> 3));
        }
        out.write(chunk);
        sourceSha.update(chunk);
        total += chunk.length;
      }
    }
    LayerSpec spec = new LayerSpec("big", List.of(new LayerFile(big, "/data/big.bin", null)));
    OciLayout layout = OciLayout.create(tmp.resolve("layout"));
    BuiltLayer layer = new LayerBuilder(TIME).build(spec, layout, "layers");
    Path blob = layout.blobPath(layer.digest());
    assertEquals(Files.size(blob), layer.size());
    assertEquals(layer.digest(), sha256Of(Files.newInputStream(blob)));

    // the tar holds the file whole
    MessageDigest inTar = Digest.newSha256();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getName().equals("data/big.bin")) {
          assertEquals(total, e.getSize());
          tar.transferTo(new DigestOutputSink(inTar));
        }
      }
    }
    assertArrayEquals(sourceSha.digest(), inTar.digest());
    assertEquals(layer.diffId(), sha256Of(new GZIPInputStream(Files.newInputStream(blob))));
  }

  /** A layer larger than many compression blocks, half text and half random: one digest whatever the core count. */
  @Test
  void aLayerOfManyBlocksHasTheSameDigestAtOneTwoAndFourThreadsAndTarReadsIt() throws Exception {
    Files.write(src.resolve("text.txt"), ParallelGzipTest.compressible(5 * ParallelGzip.BLOCK_SIZE + 17, 21));
    Files.write(src.resolve("random.bin"), ParallelGzipTest.incompressible(5 * ParallelGzip.BLOCK_SIZE + 5, 22));
    LayerSpec spec = new LayerSpec("big", List.of(new LayerFile(src, "/data", null)));
    String before = System.getProperty(ParallelGzip.THREADS_PROPERTY);
    List<BuiltLayer> layers = new ArrayList<>();
    try {
      for (String threads : new String[] {"1", "2", "4"}) {
        System.setProperty(ParallelGzip.THREADS_PROPERTY, threads);
        layers.add(new LayerBuilder(TIME).build(spec, OciLayout.create(tmp.resolve("layout" + threads)), "layers"));
      }
    } finally {
      if (before == null) {
        System.clearProperty(ParallelGzip.THREADS_PROPERTY);
      } else {
        System.setProperty(ParallelGzip.THREADS_PROPERTY, before);
      }
    }
    assertEquals(layers.get(0).digest(), layers.get(1).digest(), "2 threads");
    assertEquals(layers.get(0).digest(), layers.get(2).digest(), "4 threads");
    assertEquals(layers.get(0).diffId(), layers.get(2).diffId());
    Path blob = tmp.resolve("layout4").resolve("blobs/sha256/" + layers.get(2).digest().hex());
    Process tar = new ProcessBuilder("tar", "tzvf", blob.toString()).redirectErrorStream(true).start();
    String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tar.waitFor(), listing);
    assertTrue(listing.contains(" " + (5 * ParallelGzip.BLOCK_SIZE + 5) + " ") && listing.contains("data/random.bin"),
        listing);
    assertEquals(layers.get(0).diffId(), sha256Of(new GZIPInputStream(Files.newInputStream(blob))));
  }

  private static Digest sha256Of(InputStream in) throws IOException {
    MessageDigest sha = Digest.newSha256();
    try (InputStream digesting = new DigestInputStream(in, sha)) {
      digesting.transferTo(OutputStream.nullOutputStream());
    }
    return Digest.fromSha256(sha.digest());
  }

  /** An output stream that only feeds a digest. */
  private static final class DigestOutputSink extends ByteArrayOutputStream {
    private final MessageDigest digest;

    DigestOutputSink(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }
  }
}
