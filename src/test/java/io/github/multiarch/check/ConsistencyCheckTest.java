package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consistency check on its own, up to the layers, on layouts written by hand. */
class ConsistencyCheckTest {
  @TempDir
  Path temp;

  private final byte[] tar = Tars.layer().file("a", "x").tar();

  @Test
  void entriesThatAgreeWithTheirConfigsFillAnImageEachAndFailNothing() {
    HandLayout hand = new HandLayout(temp);
    hand.index("1", List.of(hand.image("linux/amd64", "linux/amd64", List.of(tar), List.of("/a")),
        hand.image("linux/s390x", "linux/s390x", List.of(tar), List.of("/a"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      assertTrue(f.context.report.failures().isEmpty(), f.failures());
      assertEquals(2, f.context.images.size());
      for (VerifiedImage image : f.context.images) {
        assertTrue(image.manifest != null && image.config != null && image.layersReadable, image.row.subject());
        assertEquals(image.platform, image.config.platform());
      }
    }
  }

  @Test
  void anEntryWhoseConfigSaysAnotherPlatformFailsNamingBoth() {
    HandLayout hand = new HandLayout(temp);
    hand.index("1", List.of(hand.image("linux/s390x", "linux/amd64", List.of(tar), List.of("/a"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      assertEquals(CheckStatus.FAIL, f.row("linux/s390x").result(Check.CONSISTENCY));
      String message = f.context.report.failures().get(0).message();
      assertTrue(message.startsWith("the index entry says linux/s390x, its config "), message);
      assertTrue(message.contains(" says linux/amd64 (a node pulling linux/s390x would get an image for linux/amd64)"),
          message);
    }
  }

  @Test
  void aDockerManifestInAnOciIndexIsAMixOfFamilies() {
    HandLayout hand = new HandLayout(temp);
    hand.index("1", List.of(hand.image("linux/amd64", "linux/amd64", List.of(tar), List.of("/a"),
        MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG, MediaTypes.DOCKER_LAYER_GZIP)));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      assertTrue(f.failures().contains("media type " + MediaTypes.DOCKER_MANIFEST + " in OCI image index (expected "
          + MediaTypes.OCI_MANIFEST + ": media-type families stay together)"), f.failures());
    }
  }

  @Test
  void aMissingManifestFailsItsEntryAndLeavesItsLayersUnread() throws Exception {
    HandLayout hand = new HandLayout(temp);
    Descriptor gone = hand.image("linux/s390x", "linux/s390x", List.of(tar), List.of("/a"));
    hand.index("1", List.of(hand.image("linux/amd64", "linux/amd64", List.of(tar), List.of("/a")), gone));
    Files.delete(temp.resolve("blobs/sha256").resolve(gone.digest().hex()));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      assertEquals(CheckStatus.FAIL, f.row("linux/s390x").result(Check.CONSISTENCY));
      assertEquals(null, f.row("linux/amd64").result(Check.CONSISTENCY));
      VerifiedImage missing = f.context.images.get(1);
      assertFalse(missing.layersReadable);
      assertTrue(f.failures().contains(gone.digest().toString()), f.failures());
    }
  }

  @Test
  void aConfigListingFewerDiffIdsThanLayersFails() {
    HandLayout hand = new HandLayout(temp);
    hand.editConfig = config -> ((com.fasterxml.jackson.databind.node.ArrayNode) config.get("rootfs").get("diff_ids"))
        .remove(0);
    hand.index("1", List.of(hand.image("linux/amd64", "linux/amd64", List.of(tar, tar), List.of("/a"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      assertTrue(f.failures().contains("the manifest has 2 layers, the config's rootfs.diff_ids 1"), f.failures());
    }
  }
}
