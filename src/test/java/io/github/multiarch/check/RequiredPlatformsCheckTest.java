package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The required-platforms check on its own, and the duplicate check of {@link ConsistencyCheck}, on entries made here. */
class RequiredPlatformsCheckTest {
  static VerifyContext context(List<String> present, List<String> required) {
    VerifyReport report = new VerifyReport("test", "OCI image index", "index");
    VerifyRequest request = new VerifyRequest(required.stream().map(p -> Platform.parse("requiredPlatforms", p)).toList(),
        "<requiredPlatforms>", BinaryCheck.FAIL, List.of(), null);
    VerifyContext context = new VerifyContext(null, null, request, report, EngineLog.NONE);
    for (int i = 0; i < present.size(); i++) {
      Platform platform = Platform.parse("platform", present.get(i));
      VerifiedImage image = new VerifiedImage(i, new Descriptor(MediaTypes.OCI_MANIFEST,
          Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8)), 100));
      image.platform = platform;
      image.row = report.addRow(platform.describe(), platform);
      context.images.add(image);
    }
    return context;
  }

  @Test
  void everyRequiredPlatformIsMatchedAsARuntimeMatches() {
    VerifyContext c = context(List.of("linux/amd64", "linux/arm64/v8"), List.of("linux/arm64", "linux/amd64"));
    new RequiredPlatformsCheck().check(c);
    assertEquals(CheckStatus.PASS, c.report.indexRow().result(Check.REQUIRED));
    assertTrue(c.report.failures().isEmpty(), c.report.failures().toString());
  }

  @Test
  void aMissingPlatformSaysWhatTheIndexHasAndWhatANodeWouldRunInstead() {
    VerifyContext c = context(List.of("linux/amd64", "linux/arm/v6"), List.of("linux/arm/v7", "linux/s390x"));
    new RequiredPlatformsCheck().check(c);
    VerifyReport.Finding f = c.report.failures().get(0);
    assertEquals(Check.REQUIRED, f.check());
    assertEquals("missing required platforms linux/arm/v7 (the index has linux/arm/v6, which a linux/arm/v7 node "
        + "would also run, but no image built for linux/arm/v7), linux/s390x; the index has linux/amd64, "
        + "linux/arm/v6 (required: <requiredPlatforms>)", f.message());
  }

  @Test
  void withoutRequirementsEveryEntryMustBeAWellFormedPlatform() {
    VerifyContext c = context(List.of("linux/amd64"), List.of());
    new RequiredPlatformsCheck().check(c);
    assertEquals(CheckStatus.PASS, c.report.indexRow().result(Check.REQUIRED));
    c.images.get(0).row = c.report.addRow("entry 1", null); // an entry whose platform was not valid
    VerifyContext bad = context(List.of(), List.of());
    VerifiedImage image = new VerifiedImage(0, c.images.get(0).descriptor);
    image.row = bad.report.addRow("entry 0", null);
    bad.images.add(image);
    new RequiredPlatformsCheck().check(bad);
    assertEquals(CheckStatus.FAIL, bad.report.indexRow().result(Check.REQUIRED));
  }

  @Test
  void theSamePlatformTwiceIsAConsistencyFailure() {
    VerifyContext c = context(List.of("linux/arm64", "linux/arm64/v8", "linux/amd64"), List.of());
    new ConsistencyCheck().checkDuplicates(c);
    VerifyReport.Finding f = c.report.failures().get(0);
    assertEquals(Check.CONSISTENCY, f.check());
    assertTrue(f.message().startsWith("linux/arm64/v8 appears 2 times (entry 0 "), f.message());
    assertTrue(f.message().endsWith("a runtime takes the first and ignores the rest"), f.message());
    assertEquals(CheckStatus.FAIL, c.images.get(0).row.result(Check.CONSISTENCY));
    assertEquals(null, c.images.get(2).row.result(Check.CONSISTENCY));
  }
}
