package io.github.multiarch.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.layout.KnownDigests;
import io.github.multiarch.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
  static final Instant TIME = Instant.parse("2026-01-01T12:34:56Z");

  @TempDir
  Path tmp;
  Path src;
  Path cacheDir;
  int layouts;

  @BeforeEach
  void sources() throws IOException {
    src = Files.createDirectories(tmp.resolve("src"));
    Path app = Files.createDirectories(src.resolve("app/lib"));
    Files.writeString(app.resolve("a.jar"), "jar a bytes");
    Files.writeString(app.resolve("b.jar"), "jar b bytes");
    Files.createSymbolicLink(src.resolve("app/current"), Path.of("lib/a.jar"));
    Files.writeString(src.resolve("hello"), "hello binary");
    Files.setPosixFilePermissions(src.resolve("hello"), PosixFilePermissions.fromString("rwxr-xr-x"));
    cacheDir = tmp.resolve("cache");
  }

  private LayerSpec spec() {
    return new LayerSpec("app", List.of(
        new LayerFile(src.resolve("app"), "/opt/app", null),
        new LayerFile(src.resolve("hello"), "/usr/local/bin/hello", null)));
  }

  private record Result(BuiltLayer layer, byte[] bytes, int hits) {}

  private Result build(Instant time, LayerSpec spec, LayerCache cache) throws IOException {
    OciLayout layout = OciLayout.create(tmp.resolve("layout-" + (++layouts)));
    LayerBuilder builder = new LayerBuilder(time, cache);
    BuiltLayer layer = builder.build(spec, layout, "layers");
    return new Result(layer, Files.readAllBytes(layout.blobPath(layer.digest())), builder.cacheHits());
  }

  private Result cached() throws IOException {
    return build(TIME, spec(), LayerCache.open(cacheDir));
  }

  private Result uncached() throws IOException {
    return build(TIME, spec(), null);
  }

  @Test
  void aHitGivesTheSameBytesAsBuildingWithoutTheCache() throws IOException {
    Result first = cached();
    assertEquals(0, first.hits(), "an empty cache has nothing to give");
    Result second = cached();
    assertEquals(1, second.hits(), "unchanged sources are taken from the cache");
    Result plain = uncached();
    assertEquals(plain.layer(), second.layer());
    assertEquals(plain.layer(), first.layer());
    assertArrayEquals(plain.bytes(), second.bytes());
    assertEquals(plain.layer().size(), second.bytes().length);
  }

  @Test
  void theBuildAfterTheOneThatCachedALayerDoesNotReadItsBlobAgain() throws IOException {
    Result first = cached(); // the blob is seconds old when the next build looks at it
    Path blob = LayerCache.open(cacheDir).layout().blobPath(first.layer().digest());
    assertTrue(KnownDigests.in(cacheDir).holds(blob, first.layer().digest()),
        "the blob's digest, hashed while it was written, is recorded at once");
    // its bytes changed in place behind the record's back (same size, same time, same file): a build that read
    // the blob would drop it as damaged and build the layer again; one that trusts the record takes it
    FileTime written = Files.getLastModifiedTime(blob);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    Files.write(blob, bytes);
    Files.setLastModifiedTime(blob, written);
    assertEquals(1, cached().hits(), "the blob was read again");
  }

  @Test
  void aHitIsTakenEvenWhenTheFilesWereRewrittenWithTheSameContent() throws IOException {
    cached();
    // a rebuild rewrites files (new times, new inodes) with the same content: still the same layer
    Files.delete(src.resolve("app/lib/b.jar"));
    Files.writeString(src.resolve("app/lib/b.jar"), "jar b bytes");
    Files.setLastModifiedTime(src.resolve("hello"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    Result again = cached();
    assertEquals(1, again.hits());
    assertEquals(uncached().layer(), again.layer());
  }

  @Test
  void aNothingChangedBuildDecidesFromFileMetadataWithoutReadingTheSources() throws Exception {
    Thread.sleep(2100); // the sources' times must be older than KnownDigests.SETTLE_SECONDS to be trusted
    Result first = cached();
    Path record = cacheDir.resolve("known-digests");
    String jar = src.resolve("app/lib/a.jar").toAbsolutePath().toString();
    assertTrue(Files.readString(record).contains(jar + "\t"), "the sources' digests are recorded");
    // the record says another content for the unchanged jar: a build that read the jar would not see it
    String forged = Files.readAllLines(record).stream().filter(l -> l.startsWith(jar + "\t")).findFirst()
        .map(l -> l.substring(0, l.lastIndexOf('\t') + 1) + "00".repeat(32)).orElseThrow();
    Files.writeString(record, forged + "\n", java.nio.file.StandardOpenOption.APPEND);
    Result again = cached();
    assertEquals(0, again.hits(), "the key came from the record, without reading the jar: another key, a miss");
    assertEquals(first.layer(), again.layer(), "(the layer itself is built from the jar's real bytes)");
    // touched (a new time): read again, its digest recorded again, and the cache hits
    Files.setLastModifiedTime(src.resolve("app/lib/a.jar"), FileTime.from(Instant.parse("2025-06-02T10:00:00Z")));
    Thread.sleep(2100);
    assertEquals(1, cached().hits());
  }

  @Test
  void aCorruptCachedBlobIsDroppedWithAWarningAndTheLayerBuiltAgain() throws IOException {
    Result first = cached();
    Path blob = LayerCache.open(cacheDir).layout().blobPath(first.layer().digest());
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x01; // the same size, another digest: only reading it tells
    FileTime stored = Files.getLastModifiedTime(blob);
    Files.write(blob, bytes);
    // a write gives a new modification time, so the record no longer vouches for the blob; said outright here,
    // since the kernel's file clock may not have ticked since the blob was stored
    Files.setLastModifiedTime(blob, FileTime.fromMillis(stored.toMillis() + 1000));
    io.github.multiarch.testing.CollectingLog log = new io.github.multiarch.testing.CollectingLog();
    Result again = build(TIME, spec(), LayerCache.open(cacheDir, log));
    assertEquals(0, again.hits(), "a corrupt blob is no hit");
    assertArrayEquals(uncached().bytes(), again.bytes(), "the output holds the layer built again, not the corrupt one");
    assertTrue(log.text().contains("WARN multiarch: dropped a corrupt layer from the cache, building it again: blob "
        + blob + " is corrupt: expected " + first.layer().digest()), log.text());
    assertEquals(1, cached().hits(), "and the cache holds the good blob again");
  }

  private void assertChangeMisses(Consumer<Path> change) throws IOException {
    Result before = cached();
    change.accept(src);
    Result after = cached();
    assertEquals(0, after.hits(), "a changed layer must not come from the cache");
    Result plain = uncached();
    assertEquals(plain.layer(), after.layer(), "the rebuilt layer is the one the new sources give");
    assertArrayEquals(plain.bytes(), after.bytes());
    assertNotEquals(before.layer().digest(), after.layer().digest());
    // and the new layer is cached in turn
    assertEquals(1, cached().hits());
  }

  @Test
  void aContentChangeOfTheSameSizeAndTimeMisses() throws IOException {
    Path jar = src.resolve("app/lib/a.jar");
    FileTime time = Files.getLastModifiedTime(jar);
    assertChangeMisses(s -> {
      try {
        Files.writeString(jar, "jar A bytes"); // same length
        Files.setLastModifiedTime(jar, time); // same time
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aModeChangeMisses() throws IOException {
    assertChangeMisses(s -> {
      try {
        Files.setPosixFilePermissions(s.resolve("hello"), PosixFilePermissions.fromString("rw-r--r--"));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void anAddedFileMisses() throws IOException {
    assertChangeMisses(s -> {
      try {
        Files.writeString(s.resolve("app/lib/c.jar"), "jar c bytes");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aRenamedFileMisses() throws IOException {
    assertChangeMisses(s -> {
      try {
        Files.move(s.resolve("app/lib/b.jar"), s.resolve("app/lib/bb.jar"));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aChangedLinkTargetMisses() throws IOException {
    assertChangeMisses(s -> {
      try {
        Files.delete(s.resolve("app/current"));
        Files.createSymbolicLink(s.resolve("app/current"), Path.of("lib/b.jar"));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void anotherTargetPathOrTimestampMisses() throws IOException {
    cached();
    LayerSpec moved = new LayerSpec("app", List.of(
        new LayerFile(src.resolve("app"), "/srv/app", null),
        new LayerFile(src.resolve("hello"), "/usr/local/bin/hello", null)));
    Result atOtherPath = build(TIME, moved, LayerCache.open(cacheDir));
    assertEquals(0, atOtherPath.hits());
    assertEquals(build(TIME, moved, null).layer(), atOtherPath.layer());

    Instant later = TIME.plusSeconds(3600);
    Result atOtherTime = build(later, spec(), LayerCache.open(cacheDir));
    assertEquals(0, atOtherTime.hits());
    assertEquals(build(later, spec(), null).layer(), atOtherTime.layer());
  }

  @Test
  void aConfiguredModeIsPartOfTheKey() throws IOException {
    cached();
    LayerSpec withMode = new LayerSpec("app", List.of(
        new LayerFile(src.resolve("app"), "/opt/app", 0600),
        new LayerFile(src.resolve("hello"), "/usr/local/bin/hello", null)));
    Result result = build(TIME, withMode, LayerCache.open(cacheDir));
    assertEquals(0, result.hits());
    assertEquals(build(TIME, withMode, null).layer(), result.layer());
  }

  @Test
  void theLayerNameIsNotPartOfTheBytes() throws IOException {
    cached();
    LayerSpec renamed = new LayerSpec("renamed", spec().files());
    Result result = build(TIME, renamed, LayerCache.open(cacheDir));
    assertEquals(1, result.hits());
    assertEquals("renamed", result.layer().name());
  }

  @Test
  void aMissingOrDamagedCachedBlobIsRebuilt() throws IOException {
    Result first = cached();
    LayerCache cache = LayerCache.open(cacheDir);
    Path blob = cache.layout().blobPath(first.layer().digest());
    assertTrue(Files.isRegularFile(blob), "the cache keeps the blob");
    Files.write(blob, new byte[] {1, 2, 3}); // truncated
    Result afterDamage = cached();
    assertEquals(0, afterDamage.hits());
    assertArrayEquals(first.bytes(), afterDamage.bytes());

    try (Stream<Path> entries = Files.list(cacheDir.resolve("layers"))) {
      for (Path entry : entries.toList()) {
        Files.writeString(entry, "not an entry");
      }
    }
    Result afterGarbage = cached();
    assertEquals(0, afterGarbage.hits());
    assertArrayEquals(first.bytes(), afterGarbage.bytes());
    assertEquals(1, cached().hits(), "the entry was rewritten");
  }

  @Test
  void theCacheSharesItsLayoutWithTheBaseImageCache() throws IOException {
    OciLayout existing = OciLayout.create(cacheDir);
    existing.writeBlob("application/octet-stream", new byte[] {42});
    Result first = cached();
    OciLayout reopened = OciLayout.open(cacheDir);
    assertTrue(reopened.hasBlob(first.layer().digest()));
    assertTrue(reopened.hasBlob(io.github.multiarch.oci.Digest.sha256(new byte[] {42})), "existing blobs are kept");
  }
}
