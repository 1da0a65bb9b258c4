package io.github.multiarch.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.layer.LayerBuilderTest.TarItem;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layers in the Windows format: Files/ and Hives/, the MSWINDOWS PAX records, C:\ targets. */
class WindowsLayerBuilderTest {
  static final Instant TIME = Instant.parse("2026-01-01T12:34:56Z");
  /** What ko and go-containerregistry write as MSWINDOWS.rawsd (O:BUG:BU), for comparison. */
  static final String KO_DESCRIPTOR = "AQAAgBQAAAAkAAAAAAAAAAAAAAABAgAAAAAABSAAAAAhAgAAAQIAAAAAAAUgAAAAIQIAAA==";

  @TempDir
  Path tmp;
  Path exe;

  @BeforeEach
  void sources() throws IOException {
    exe = Files.write(tmp.resolve("greet.exe"), "MZ not really".getBytes(StandardCharsets.UTF_8));
  }

  private BuiltLayer build(LayerSpec spec, LayerFormat format, String layoutName) {
    return new LayerBuilder(TIME).build(spec, format, OciLayout.create(tmp.resolve(layoutName)), "layers");
  }

  private List<TarItem> read(BuiltLayer layer, String layoutName) throws IOException {
    return LayerBuilderTest.readLayer(OciLayout.open(tmp.resolve(layoutName)).blobPath(layer.digest()));
  }

  private LayerSpec greet(String target) {
    return new LayerSpec("app", List.of(new LayerFile(exe, target, 0755)));
  }

  @Test
  void entriesAreBelowFilesAfterHivesAndFilesWithTheirPaxRecords() throws IOException {
    BuiltLayer layer = build(greet("/app/greet.exe"), LayerFormat.WINDOWS, "w");
    List<TarItem> items = read(layer, "w");
    assertEquals(List.of("Hives/", "Files/", "Files/app/", "Files/app/greet.exe"),
        items.stream().map(i -> i.entry().getName()).toList());
    for (TarItem item : items) {
      String name = item.entry().getName();
      assertEquals(item.entry().isDirectory() ? "16" : "32", item.entry().getExtraPaxHeader("MSWINDOWS.fileattr"),
          name);
      if (name.startsWith("Files/") && !name.equals("Files/")) {
        assertEquals(KO_DESCRIPTOR, item.entry().getExtraPaxHeader("MSWINDOWS.rawsd"), name);
      } else {
        assertNull(item.entry().getExtraPaxHeader("MSWINDOWS.rawsd"), name);
      }
      assertEquals(TIME, item.entry().getLastModifiedDate().toInstant(), name);
      assertEquals(0, item.entry().getLongUserId(), name);
    }
    assertArrayEquals(Files.readAllBytes(exe), items.get(3).content());
    assertEquals(0100755, items.get(3).entry().getMode());
    assertEquals("/app/greet.exe", layer.files().get(0).path(), "the SBOM lists the container's path");
  }

  @Test
  void theSecurityDescriptorIsBuiltinUsersAsOwnerAndGroupWithoutDacl() {
    assertEquals(KO_DESCRIPTOR, WindowsLayers.SECURITY_DESCRIPTOR);
    byte[] sd = Base64.getDecoder().decode(WindowsLayers.SECURITY_DESCRIPTOR);
    assertEquals(0x8000, (sd[2] & 0xff) | (sd[3] & 0xff) << 8, "self-relative, no SE_DACL_PRESENT");
  }

  @Test
  void reproducibleAndNotTheLinuxLayer() throws IOException {
    BuiltLayer a = build(greet("/app/greet.exe"), LayerFormat.WINDOWS, "a");
    BuiltLayer b = build(greet("/app/greet.exe"), LayerFormat.WINDOWS, "b");
    assertEquals(a.digest(), b.digest());
    assertEquals(a.diffId(), b.diffId());
    assertArrayEquals(Files.readAllBytes(OciLayout.open(tmp.resolve("a")).blobPath(a.digest())),
        Files.readAllBytes(OciLayout.open(tmp.resolve("b")).blobPath(b.digest())));
    BuiltLayer linux = build(greet("/app/greet.exe"), LayerFormat.LINUX, "l");
    assertNotEquals(a.digest(), linux.digest());
    assertEquals(List.of("app/", "app/greet.exe"), read(linux, "l").stream().map(i -> i.entry().getName()).toList());
    assertEquals(linux.digest(), new LayerBuilder(TIME).build(greet("/app/greet.exe"),
        OciLayout.create(tmp.resolve("l2")), "layers").digest(), "without a format: Linux");
  }

  @ParameterizedTest
  @ValueSource(strings = {"C:\\app\\greet.exe", "C:/app/greet.exe", "c:\\app/greet.exe", "/app\\greet.exe"})
  void driveCTargetsAreTheContainerPath(String target) throws IOException {
    BuiltLayer layer = build(greet(target), LayerFormat.WINDOWS, "w");
    assertEquals(List.of("Hives/", "Files/", "Files/app/", "Files/app/greet.exe"),
        read(layer, "w").stream().map(i -> i.entry().getName()).toList());
    assertEquals(build(greet("/app/greet.exe"), LayerFormat.WINDOWS, "x").digest(), layer.digest());
  }

  @Test
  void otherDrivesAreRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> LayerBuilder.check(greet("D:\\x"), LayerFormat.WINDOWS, "platforms"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("drive D:") && e.getMessage().contains("C:\\app"), e.getMessage());
  }

  @Test
  void windowsPathsAreRefusedForLinux() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> LayerBuilder.check(greet("C:\\app\\greet.exe"), LayerFormat.LINUX, "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("only platforms with os windows"), e.getMessage());
  }

  @Test
  void symbolicLinksAreRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("tree"));
    Files.createSymbolicLink(dir.resolve("link.exe"), exe);
    LayerSpec spec = new LayerSpec("tree", List.of(new LayerFile(dir, "/app", null)));
    LayerBuilder.check(spec, LayerFormat.LINUX, "layers");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> LayerBuilder.check(spec, LayerFormat.WINDOWS, "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  void namesDifferingOnlyInCaseAreRefused() throws IOException {
    Path other = Files.writeString(tmp.resolve("other"), "x");
    LayerSpec spec = new LayerSpec("two", List.of(new LayerFile(exe, "/app/Greet.exe", null),
        new LayerFile(other, "/app/greet.exe", null)));
    LayerBuilder.check(spec, LayerFormat.LINUX, "layers");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> LayerBuilder.check(spec, LayerFormat.WINDOWS, "layers"));
    assertTrue(e.getMessage().contains("differ only in case"), e.getMessage());
  }

  @Test
  void theCacheKeepsLinuxAndWindowsLayersApart() {
    LayerCache cache = LayerCache.open(tmp.resolve("cache"), EngineLog.NONE);
    LayerBuilder builder = new LayerBuilder(TIME, cache);
    BuiltLayer linux = builder.build(greet("/app/greet.exe"), LayerFormat.LINUX, OciLayout.create(tmp.resolve("1")),
        "layers");
    BuiltLayer windows = builder.build(greet("/app/greet.exe"), LayerFormat.WINDOWS,
        OciLayout.create(tmp.resolve("2")), "layers");
    assertEquals(0, builder.cacheHits());
    assertNotEquals(linux.digest(), windows.digest());
    BuiltLayer again = builder.build(greet("C:\\app\\greet.exe"), LayerFormat.WINDOWS,
        OciLayout.create(tmp.resolve("3")), "layers");
    assertEquals(1, builder.cacheHits());
    assertEquals(windows.digest(), again.digest());
  }
}
