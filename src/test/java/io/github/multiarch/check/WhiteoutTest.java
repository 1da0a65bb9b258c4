package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entry names, whiteouts and what a platform's file system holds after its layers, as the binary check sees it. */
class WhiteoutTest {
  private static final byte[] ARM64 = ExecutableReaderTest.elfBytes(2, 1, 183, 0);
  private static final byte[] AMD64 = ExecutableReaderTest.elfBytes(2, 1, 62, 0);

  @Test
  void entryNames() {
    EntryName n = EntryName.of("./usr//bin/hello/");
    assertEquals("usr/bin/hello", n.path());
    assertEquals("hello", n.fileName());
    assertEquals("usr/bin", n.parent());
    assertFalse(n.absolute());
    assertFalse(n.dotDot());
    assertTrue(EntryName.of("/etc/passwd").absolute());
    assertTrue(EntryName.of("a/../../x").dotDot());
    assertEquals("", EntryName.of("./").path());

    EntryName whiteout = EntryName.of("usr/bin/.wh.hello");
    assertTrue(whiteout.isWhiteout());
    assertEquals("usr/bin/hello", whiteout.whiteoutTarget());
    assertEquals("top", EntryName.of(".wh.top").whiteoutTarget());
    EntryName opaque = EntryName.of("usr/share/.wh..wh..opq");
    assertTrue(opaque.isOpaqueMarker());
    assertFalse(opaque.isWhiteout());
    assertFalse(EntryName.of(".wh..wh.plnk").isWhiteout(), "AUFS metadata is not a whiteout");
    assertTrue(EntryName.of(".wh..wh.plnk").isWhiteoutName());
  }

  private static LayerScan scan(Tars layer) throws IOException {
    LayerScan scan = new LayerScan(true);
    byte[] tar = layer.tar();
    Digest diffId = LayerReader.read(new ByteArrayInputStream(Tars.gzip(tar)), MediaTypes.OCI_LAYER_GZIP, scan);
    assertEquals(Digest.sha256(tar), diffId, "the diff ID is the digest of the uncompressed tar");
    scan.setDiffId(diffId);
    return scan;
  }

  private static List<String> executables(Tars... layers) throws IOException {
    ImageFiles files = new ImageFiles();
    for (int i = 0; i < layers.length; i++) {
      files.apply(scan(layers[i]), i);
    }
    return files.executables().entrySet().stream().map(e -> e.getKey() + "@" + e.getValue().layer() + ":"
        + e.getValue().executable().architecture()).toList();
  }

  @Test
  void findsExecutablesAndIgnoresOtherFiles() throws IOException {
    assertEquals(List.of("bin/a@0:arm64", "lib/b.so@0:amd64"), executables(Tars.layer().file("bin/a", ARM64, 0755)
        .file("lib/b.so", AMD64, 0644).file("run.sh", "#!/bin/sh\n").file("app.jar", "PK\3\4 not a binary")));
  }

  @Test
  void whiteoutsHideLowerExecutables() throws IOException {
    assertEquals(List.of("bin/ok@0:arm64"), executables(
        Tars.layer().file("bin/ok", ARM64, 0755).file("bin/wrong", AMD64, 0755).dir("opt/x")
            .file("opt/x/wrong", AMD64, 0755),
        Tars.layer().whiteout("bin/wrong").whiteout("opt/x")));
  }

  @Test
  void opaqueDirectoriesHideLowerExecutablesOnly() throws IOException {
    assertEquals(List.of("opt/new@1:arm64", "opt/newer@1:arm64"), executables(
        Tars.layer().file("opt/old", AMD64, 0755),
        Tars.layer().file("opt/new", ARM64, 0755).opaque("opt").file("opt/newer", ARM64, 0755)));
  }

  @Test
  void upperEntriesReplaceLowerOnes() throws IOException {
    assertEquals(List.of("bin/x@1:arm64"), executables(
        Tars.layer().file("bin/x", AMD64, 0755).file("bin/script", AMD64, 0755).dir("lib")
            .file("lib/y.so", AMD64, 0644),
        Tars.layer().file("bin/x", ARM64, 0755).file("bin/script", "#!/bin/sh\n").symlink("lib", "usr/lib")));
  }

  @Test
  void hardLinksToExecutablesAreJudgedUnderTheirOwnName() throws IOException {
    assertEquals(List.of("usr/bin/tool@0:amd64"), executables(
        Tars.layer().file("opt/tool", AMD64, 0755).hardlink("usr/bin/tool", "opt/tool").hardlink("usr/bin/x", "nothing"),
        Tars.layer().whiteout("opt/tool")));
  }

  @Test
  void aSharedLayerScanIsIndependentOfThePlatform() throws IOException {
    LayerScan shared = scan(Tars.layer().file("bin/tool", AMD64, 0755));
    ImageFiles a = new ImageFiles();
    a.apply(shared, 0);
    ImageFiles b = new ImageFiles();
    b.apply(scan(Tars.layer().file("other", "x")), 0);
    b.apply(shared, 1);
    assertEquals(1, a.executables().size());
    assertEquals(1, b.executables().get("bin/tool").layer());
    assertTrue(Files.isDirectory(java.nio.file.Path.of(".")));
  }
}
