package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers check on its own, after the consistency check has read the manifests and configs: digests and
 * diff IDs of every layer, and the binaries each platform's file system holds.
 */
class LayersCheckTest {
  @TempDir
  Path temp;

  @Test
  void eachPlatformsBinaryBuiltForItPasses() throws Exception {
    HandLayout hand = new HandLayout(temp);
    hand.index("1", List.of(
        hand.image("linux/amd64", "linux/amd64", List.of(hello("linux/amd64")), List.of("/hello")),
        hand.image("linux/s390x", "linux/s390x", List.of(hello("linux/s390x")), List.of("/hello"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      new LayersCheck(f.context).check();
      assertTrue(f.context.report.failures().isEmpty(), f.failures());
      assertEquals(CheckStatus.PASS, f.row("linux/amd64").result(Check.BINARIES));
      assertEquals(CheckStatus.PASS, f.row("linux/s390x").result(Check.BINARIES));
    }
  }

  @Test
  void aBinaryOfAnotherArchitectureFailsItsPlatformAndNamesTheFile() throws Exception {
    HandLayout hand = new HandLayout(temp);
    hand.index("1", List.of(
        hand.image("linux/s390x", "linux/s390x", List.of(hello("linux/amd64")), List.of("/hello"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      new LayersCheck(f.context).check();
      assertEquals(CheckStatus.FAIL, f.row("linux/s390x").result(Check.BINARIES));
      assertTrue(f.failures().contains("/hello is built for "), f.failures());
    }
  }

  @Test
  void aBinaryOfAnotherArchitectureIsAWarningWhenTheRequestSaysWarn() throws Exception {
    HandLayout hand = new HandLayout(temp);
    hand.index("1", List.of(
        hand.image("linux/s390x", "linux/s390x", List.of(hello("linux/amd64")), List.of("/hello"))));
    VerifyRequest warn = new VerifyRequest(List.of(), null, BinaryCheck.WARN, List.of(), null);
    try (CheckFixture f = CheckFixture.read(temp, warn)) {
      new LayersCheck(f.context).check();
      assertEquals(CheckStatus.WARN, f.row("linux/s390x").result(Check.BINARIES));
      assertTrue(f.context.report.failures().isEmpty(), f.failures());
    }
  }

  @Test
  void aLayerWhoseContentIsNotItsDiffIdFailsConsistency() {
    HandLayout hand = new HandLayout(temp);
    byte[] other = Tars.layer().file("b", "y").tar();
    hand.editConfig = config -> ((com.fasterxml.jackson.databind.node.ArrayNode) config.get("rootfs").get("diff_ids"))
        .set(0, Digest.sha256(other).toString());
    hand.index("1", List.of(
        hand.image("linux/amd64", "linux/amd64", List.of(Tars.layer().file("a", "x").tar()), List.of("/a"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      new LayersCheck(f.context).check();
      assertEquals(CheckStatus.FAIL, f.row("linux/amd64").result(Check.CONSISTENCY));
      assertTrue(f.failures().contains("uncompresses to " + Digest.sha256(Tars.layer().file("a", "x").tar())),
          f.failures());
    }
  }

  @Test
  void aLayerMissingFromTheLayoutFailsTheImageThatNeedsIt() throws Exception {
    HandLayout hand = new HandLayout(temp);
    byte[] tar = Tars.layer().file("only-here", "z".getBytes(StandardCharsets.UTF_8), 0644).tar();
    hand.index("1", List.of(hand.image("linux/amd64", "linux/amd64", List.of(tar), List.of("/a"))));
    try (CheckFixture f = CheckFixture.read(temp, CheckFixture.request())) {
      Digest layer = f.context.images.get(0).manifest.layers().get(0).digest();
      Files.delete(temp.resolve("blobs/sha256").resolve(layer.hex()));
      new LayersCheck(f.context).check();
      assertEquals(CheckStatus.FAIL, f.row("linux/amd64").result(Check.CONSISTENCY));
      assertTrue(f.failures().contains(layer.toString()) || f.failures().contains(layer.shortHex()), f.failures());
    }
  }

  private static byte[] hello(String platform) throws Exception {
    return Tars.layer().file("hello", Compilers.hello(platform), 0755).tar();
  }
}
