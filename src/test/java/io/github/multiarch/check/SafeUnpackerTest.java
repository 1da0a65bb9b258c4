package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking layers into an image root: whiteouts, opaque directories, and every way out of the root refused. */
class SafeUnpackerTest {
  @TempDir
  Path temp;

  Path root;
  Path outside;

  @BeforeEach
  void dirs() throws IOException {
    // root and a sibling "outside" with a file nobody may touch; the root is two levels down so that ../../ lands
    // in temp
    root = Files.createDirectories(temp.resolve("work/rootfs"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "untouched");
  }

  private SafeUnpacker unpack(Tars... layers) throws IOException {
    SafeUnpacker unpacker = new SafeUnpacker(root);
    for (Tars layer : layers) {
      unpacker.startLayer();
      LayerReader.read(new ByteArrayInputStream(layer.gzip()), io.github.multiarch.oci.MediaTypes.OCI_LAYER_GZIP,
          unpacker);
    }
    return unpacker;
  }

  private void assertOutsideUntouched() throws IOException {
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(List.of(outside.resolve("keep")), files.toList(), "something was written outside the root");
    }
    assertEquals("untouched", Files.readString(outside.resolve("keep")));
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of("outside", "work"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (Stream<Path> files = Files.list(temp.resolve("work"))) {
      assertEquals(List.of("rootfs"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void unpacksFilesDirectoriesLinksAndModes() throws IOException {
    unpack(Tars.layer().dir("usr").dir("usr/bin").file("usr/bin/hello", "#!/bin/sh\n".getBytes(), 0755)
        .symlink("bin", "usr/bin").hardlink("usr/bin/hello2", "usr/bin/hello").file("./etc/conf", "x"));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/hello"))));
    assertTrue(Files.isSymbolicLink(root.resolve("bin")));
    assertEquals("usr/bin", Files.readSymbolicLink(root.resolve("bin")).toString());
    assertEquals("#!/bin/sh\n", Files.readString(root.resolve("usr/bin/hello2")));
    assertEquals("x", Files.readString(root.resolve("etc/conf")), "a missing parent directory is made");
  }

  @Test
  void refusesDotDot() throws IOException {
    RootPath.EscapeException e = assertThrows(RootPath.EscapeException.class,
        () -> unpack(Tars.layer().file("../x", "escaped")));
    assertTrue(e.getMessage().contains("'../x'") && e.getMessage().contains(".."), e.getMessage());
    assertThrows(RootPath.EscapeException.class, () -> unpack(Tars.layer().file("a/../../../outside/x", "escaped")));
    assertOutsideUntouched();
  }

  @Test
  void refusesAbsoluteNames() throws IOException {
    Path target = outside.resolve("abs");
    RootPath.EscapeException e = assertThrows(RootPath.EscapeException.class,
        () -> unpack(Tars.layer().file(target.toString(), "escaped")));
    assertTrue(e.getMessage().contains("absolute name"), e.getMessage());
    assertFalse(Files.exists(target));
    assertOutsideUntouched();
  }

  @Test
  void refusesWritingThroughASymlinkThatLeavesTheRoot() throws IOException {
    RootPath.EscapeException e = assertThrows(RootPath.EscapeException.class,
        () -> unpack(Tars.layer().symlink("evil", "../../outside").file("evil/pwned", "escaped")));
    assertTrue(e.getMessage().contains("'evil/pwned'") && e.getMessage().contains("climbs above the image root"),
        e.getMessage());
    assertOutsideUntouched();
  }

  @Test
  void refusesASymlinkEscapeSpreadOverLayers() throws IOException {
    // the link comes in one layer, the file written through it in the next; a link chain too
    assertThrows(RootPath.EscapeException.class, () -> unpack(
        Tars.layer().dir("a").symlink("a/up", "..").symlink("a/b", "up/../../outside"),
        Tars.layer().file("a/b/pwned", "escaped")));
    assertOutsideUntouched();
  }

  @Test
  void absoluteSymlinksResolveInsideTheRoot() throws IOException {
    // /var/run -> /run is an absolute link in many images: inside the container it means ROOT/run, and so here
    Path hostTarget = outside.toAbsolutePath();
    unpack(Tars.layer().dir("run").dir("var").symlink("var/run", "/run").file("var/run/pid", "1")
        .symlink("host", hostTarget.toString()).file("host/file", "inside"));
    assertEquals("1", Files.readString(root.resolve("run/pid")));
    assertEquals("inside", Files.readString(root.resolve(hostTarget.toString().substring(1) + "/file")),
        "an absolute link target is the root's path, not the host's");
    assertOutsideUntouched();
  }

  @Test
  void refusesHardLinksOutOfTheLayer() throws IOException {
    assertThrows(RootPath.EscapeException.class, () -> unpack(Tars.layer().hardlink("x", "../outside/keep")));
    assertThrows(RootPath.EscapeException.class,
        () -> unpack(Tars.layer().hardlink("x", outside.resolve("keep").toString())));
    assertOutsideUntouched();
  }

  @Test
  void refusesWhiteoutsOfDotDot() throws IOException {
    assertThrows(RootPath.EscapeException.class, () -> unpack(Tars.layer().dir("a").file("a/.wh...", "")));
    assertTrue(Files.isDirectory(root.resolve("a")));
    assertOutsideUntouched();
  }

  @Test
  void aFileReplacesALowerSymlinkInsteadOfWritingThroughIt() throws IOException {
    unpack(Tars.layer().file("target", "lower").symlink("link", "target"), Tars.layer().file("link", "upper"));
    assertFalse(Files.isSymbolicLink(root.resolve("link")));
    assertEquals("upper", Files.readString(root.resolve("link")));
    assertEquals("lower", Files.readString(root.resolve("target")));
  }

  @Test
  void whiteoutsDeleteLowerFilesAndDirectories() throws IOException {
    unpack(Tars.layer().dir("app").file("app/old", "1").dir("app/lib").file("app/lib/x.so", "2").file("keep", "3"),
        Tars.layer().whiteout("app/old").whiteout("app/lib"));
    assertFalse(Files.exists(root.resolve("app/old")));
    assertFalse(Files.exists(root.resolve("app/lib")));
    assertFalse(Files.exists(root.resolve("app/.wh.old")), "whiteout files are not written");
    assertTrue(Files.exists(root.resolve("keep")));
  }

  @Test
  void opaqueDirectoriesHideLowerContentOnly() throws IOException {
    unpack(Tars.layer().dir("etc").file("etc/a", "lower").file("etc/b", "lower"),
        Tars.layer().dir("etc").file("etc/c", "upper").opaque("etc").file("etc/d", "upper"));
    try (Stream<Path> files = Files.list(root.resolve("etc"))) {
      assertEquals(List.of("c", "d"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aWhiteoutDoesNotDeleteWhatItsOwnLayerWrote() throws IOException {
    unpack(Tars.layer().file("x", "lower"), Tars.layer().file("x", "upper").whiteout("x"));
    assertEquals("upper", Files.readString(root.resolve("x")));
  }

  @Test
  void aDirectoryReplacesALowerFileAndAFileALowerDirectory() throws IOException {
    unpack(Tars.layer().file("a", "file").dir("b").file("b/inner", "x"),
        Tars.layer().dir("a").file("a/inner", "y").file("b", "now a file"));
    assertTrue(Files.isDirectory(root.resolve("a"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("now a file", Files.readString(root.resolve("b")));
  }

  @Test
  void deleteTreeRemovesUnwritableDirectories() throws IOException {
    unpack(Tars.layer().dir("ro").file("ro/f", "x"));
    Files.setPosixFilePermissions(root.resolve("ro"), PosixFilePermissions.fromString("r-x------"));
    SafeUnpacker.deleteTree(root);
    assertFalse(Files.exists(root));
  }
}
