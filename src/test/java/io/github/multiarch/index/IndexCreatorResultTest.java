package io.github.multiarch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary create prints is the engine's, one line per entry, then the tags and the blobs' fate. */
class IndexCreatorResultTest {
  @Test
  void tableListsEveryEntryThenTheTagsAndBlobs() {
    Digest digest = Digest.sha256("m".getBytes(StandardCharsets.UTF_8));
    Descriptor arm = new Descriptor(MediaTypes.OCI_MANIFEST, digest, 10).withPlatform(Platform.parse("p", "linux/arm/v7"));
    Descriptor none = new Descriptor(MediaTypes.DOCKER_MANIFEST, digest, 10);
    IndexCreator.Result result = new IndexCreator.Result(new Descriptor(MediaTypes.OCI_INDEX, digest, 5),
        List.of(arm, none), 3, 1, 2, 0, false);
    List<String> table = result.table(List.of("1.0", "latest"));
    assertEquals(4, table.size(), table.toString());
    assertEquals(String.format("  %-40s %-12s %s", "PLATFORM", "MANIFEST", "MEDIA TYPE"), table.get(0));
    assertEquals(String.format("  %-40s %-12s %s", "linux/arm/v7", digest.shortHex(), MediaTypes.OCI_MANIFEST),
        table.get(1));
    assertEquals(String.format("  %-40s %-12s %s", "-", digest.shortHex(), MediaTypes.DOCKER_MANIFEST), table.get(2));
    assertEquals("  tags: 1.0, latest; blobs copied 3, mounted 1, already there 2", table.get(3));
  }
}
