package io.github.multiarch.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of blobs a layout lacks by design: written, read back, shrunk as blobs arrive, dropped when whole. */
class DeferredBlobsTest {
  @TempDir
  Path tmp;

  @Test
  void listsWhatTheLayoutLacksUntilItHoldsEverything() {
    OciLayout layout = OciLayout.create(tmp.resolve("oci"));
    OciLayout elsewhere = OciLayout.create(tmp.resolve("elsewhere"));
    Descriptor first = elsewhere.writeBlob(MediaTypes.OCI_LAYER_GZIP, "first".getBytes(StandardCharsets.UTF_8));
    Descriptor second = elsewhere.writeBlob(MediaTypes.OCI_LAYER_GZIP, "second".getBytes(StandardCharsets.UTF_8));
    DeferredBlobs.write(layout, List.of(new DeferredBlobs.Entry(first, "registry.example.com/base/jre"),
        new DeferredBlobs.Entry(second, "registry.example.com/base/jre"),
        new DeferredBlobs.Entry(first, "registry.example.com/base/jre")));

    List<DeferredBlobs.Entry> listed = DeferredBlobs.listed(layout);
    assertEquals(List.of(first.digest(), second.digest()), listed.stream().map(e -> e.blob().digest()).toList(),
        "each blob once, in order");
    assertEquals(first, listed.get(0).blob(), "media type, digest and size read back");
    assertEquals(List.of(first.digest(), second.digest()), List.copyOf(DeferredBlobs.missing(layout).keySet()));
    assertThrows(IllegalStateException.class, () -> DeferredBlobs.completed(layout), "dropped while incomplete");
    MultiarchException refused = assertThrows(MultiarchException.class,
        () -> DeferredBlobs.requireComplete(layout, "cannot write x.tar"));
    assertTrue(refused.getMessage().startsWith("cannot write x.tar: the layout " + layout.root() + " lacks 2 base "
        + "layers") && refused.getMessage().contains("registry.example.com/base/jre"), refused.getMessage());

    layout.copyBlobFrom(elsewhere, first.digest(), first.size());
    assertEquals(List.of(second.digest()), List.copyOf(DeferredBlobs.missing(layout).keySet()));
    layout.copyBlobFrom(elsewhere, second.digest(), second.size());
    DeferredBlobs.requireComplete(layout, "cannot write x.tar");
    DeferredBlobs.completed(layout);
    assertFalse(Files.exists(layout.root().resolve(DeferredBlobs.FILE)));
    assertEquals(List.of(), DeferredBlobs.listed(layout));
  }

  @Test
  void noEntriesNoFile() {
    OciLayout layout = OciLayout.create(tmp.resolve("empty"));
    DeferredBlobs.write(layout, List.of());
    assertFalse(Files.exists(layout.root().resolve(DeferredBlobs.FILE)));
  }

  @Test
  void aDamagedRecordIsNamed() throws Exception {
    OciLayout layout = OciLayout.create(tmp.resolve("damaged"));
    Files.writeString(layout.root().resolve(DeferredBlobs.FILE), "{\"blobs\":[{\"digest\":\"sha256:"
        + "a".repeat(64) + "\",\"size\":3}]}");
    MultiarchException e = assertThrows(MultiarchException.class, () -> DeferredBlobs.missing(layout));
    assertTrue(e.getMessage().startsWith("cannot read " + layout.root().resolve(DeferredBlobs.FILE))
        && e.getMessage().contains("lacks its size or source") && e.getMessage().endsWith("build the layout again"),
        e.getMessage());
  }
}
