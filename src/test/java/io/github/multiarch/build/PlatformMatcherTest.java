package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformMatcherTest {

  private static Platform p(String text) {
    return Platform.parse("platforms", text);
  }

  private static Descriptor entry(String mediaType, Platform platform, String seed) {
    return new Descriptor(mediaType, Digest.sha256(seed), 100).withPlatform(platform);
  }

  private static Descriptor image(String platform) {
    return entry(MediaTypes.OCI_MANIFEST, p(platform), platform);
  }

  private static Descriptor windows(String osVersion) {
    return entry(MediaTypes.OCI_MANIFEST, Platform.of("p", "windows", "amd64", "", osVersion, List.of()),
        "windows " + osVersion);
  }

  private static Descriptor attestation(String seed) {
    return entry(MediaTypes.OCI_MANIFEST, Platform.lenient("unknown", "unknown", null, null, null), seed)
        .withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest",
            "vnd.docker.reference.digest", Digest.sha256(seed + "ref").toString()));
  }

  private static ImageIndex index(Descriptor... entries) {
    return new ImageIndex(MediaTypes.OCI_INDEX, List.of(entries), Map.of());
  }

  private static Descriptor select(ImageIndex index, String platform) {
    return PlatformMatcher.select(index, p(platform), "base image X", "from");
  }

  @Test
  void exactVariantIsPreferredOverACompatibleOne() {
    Descriptor v6 = image("linux/arm/v6");
    Descriptor v7 = image("linux/arm/v7");
    assertEquals(v7, select(index(v6, v7), "linux/arm/v7"));
    assertEquals(v7, select(index(v7, v6), "linux/arm/v7"), "whatever the order");
    assertEquals(v6, select(index(v6, v7), "linux/arm/v6"));
  }

  @Test
  void aCompatibleOlderVariantIsTakenWhenTheExactOneIsMissing() {
    Descriptor v6 = image("linux/arm/v6");
    assertEquals(v6, select(index(image("linux/amd64"), v6), "linux/arm/v7"));
    Descriptor v5 = image("linux/arm/v5");
    assertEquals(v6, select(index(v5, v6), "linux/arm/v7"), "the newest compatible variant first");
  }

  @Test
  void aNewerVariantIsNeverTaken() {
    Descriptor v7 = image("linux/arm/v7");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> select(index(v7, image("linux/arm64")), "linux/arm/v6"));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("base image X has no image for linux/arm/v6"), e.getMessage());
    assertTrue(e.getMessage().contains("linux/arm/v7, linux/arm64/v8"), e.getMessage());
  }

  @Test
  void arm64MatchesEntriesWithAndWithoutTheV8Variant() {
    Descriptor arm64 = image("linux/arm64");
    assertEquals(arm64, select(index(image("linux/amd64"), arm64, image("linux/arm/v7")), "linux/arm64/v8"));
    // an entry written without the variant normalizes to v8 as well
    Descriptor bare = entry(MediaTypes.OCI_MANIFEST, Platform.lenient("linux", "arm64", null, null, null), "bare");
    assertEquals(bare, select(index(bare), "linux/arm64"));
  }

  @Test
  void amd64V3TakesPlainAmd64() {
    Descriptor amd64 = image("linux/amd64");
    assertEquals(amd64, select(index(amd64), "linux/amd64/v3"));
    Descriptor v2 = image("linux/amd64/v2");
    assertEquals(v2, select(index(amd64, v2), "linux/amd64/v3"));
  }

  @Test
  void attestationEntriesAreNeverChosen() {
    Descriptor amd64 = image("linux/amd64");
    Descriptor att = attestation("att1");
    assertEquals(amd64, select(index(att, amd64, attestation("att2")), "linux/amd64"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PlatformMatcher.select(index(att), Platform.lenient("unknown", "unknown", null, null, null),
            "base image X", "from"));
    assertTrue(e.getMessage().contains("no platform entries"), e.getMessage());
    assertFalse(PlatformMatcher.describeEntries(index(att, amd64)).contains("unknown"));
  }

  @Test
  void entriesThatAreIndexesAreSkipped() {
    Descriptor nested = entry(MediaTypes.OCI_INDEX, p("linux/amd64"), "nested");
    Descriptor dockerNested = entry(MediaTypes.DOCKER_LIST, p("linux/amd64"), "nested2");
    Descriptor real = entry(MediaTypes.DOCKER_MANIFEST, p("linux/amd64"), "real");
    assertEquals(real, select(index(nested, dockerNested, real), "linux/amd64"));
    assertThrows(InvalidInputException.class, () -> select(index(nested), "linux/amd64"));
  }

  @Test
  void entriesWithoutPlatformAreSkipped() {
    Descriptor noPlatform = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256("np"), 1);
    Descriptor amd64 = image("linux/amd64");
    assertEquals(amd64, select(index(noPlatform, amd64), "linux/amd64"));
  }

  @Test
  void noMatchListsTheAvailablePlatforms() {
    ImageIndex idx = index(image("linux/amd64"), image("linux/arm64"), attestation("a"), windows("10.0.20348.2655"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> select(idx, "linux/s390x"));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("no image for linux/s390x"), e.getMessage());
    assertTrue(e.getMessage().contains("linux/amd64, linux/arm64/v8, windows/amd64 (os.version 10.0.20348.2655)"),
        e.getMessage());
    assertFalse(e.getMessage().contains("unknown"), e.getMessage());
  }

  @Test
  void windowsMatchesTheBuildOfTheOsVersion() {
    Descriptor ltsc2022 = windows("10.0.20348.2655");
    Descriptor ltsc2019 = windows("10.0.17763.6189");
    ImageIndex idx = index(image("linux/amd64"), ltsc2019, ltsc2022);
    Platform want2022 = p("windows/amd64").withOsVersion("10.0.20348.2700");
    assertEquals(ltsc2022, PlatformMatcher.select(idx, want2022, "b", "from"), "same build, other revision");
    Platform want2019 = p("windows/amd64").withOsVersion("10.0.17763.6189");
    assertEquals(ltsc2019, PlatformMatcher.select(idx, want2019, "b", "from"));
    Platform want2019NoRevision = p("windows/amd64").withOsVersion("10.0.17763");
    assertEquals(ltsc2019, PlatformMatcher.select(idx, want2019NoRevision, "b", "from"));
    Platform other = p("windows/amd64").withOsVersion("10.0.26100.1");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PlatformMatcher.select(idx, other, "b", "from"));
    assertTrue(e.getMessage().contains("10.0.26100.1"), e.getMessage());
    assertTrue(e.getMessage().contains("10.0.17763.6189") && e.getMessage().contains("10.0.20348.2655"),
        e.getMessage());
  }

  @Test
  void anExactOsVersionWinsOverAnotherRevisionOfTheSameBuild() {
    Descriptor older = windows("10.0.20348.1000");
    Descriptor exact = windows("10.0.20348.2655");
    Platform want = p("windows/amd64").withOsVersion("10.0.20348.2655");
    assertEquals(exact, PlatformMatcher.select(index(older, exact), want, "b", "from"));
    assertEquals(exact, PlatformMatcher.select(index(exact, older), want, "b", "from"));
  }

  @Test
  void ambiguousWindowsVersionsAskForOsVersion() {
    ImageIndex idx = index(windows("10.0.17763.6189"), windows("10.0.20348.2655"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PlatformMatcher.select(idx, p("windows/amd64"), "base image W", "platforms"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("os.version"), e.getMessage());
    assertTrue(e.getMessage().contains("set osVersion"), e.getMessage());
    assertTrue(e.getMessage().contains("10.0.17763.6189, 10.0.20348.2655"), e.getMessage());
  }

  @Test
  void aSingleWindowsEntryNeedsNoOsVersion() {
    Descriptor only = windows("10.0.20348.2655");
    assertEquals(only, PlatformMatcher.select(index(only, image("linux/amd64")), p("windows/amd64"), "b", "from"));
  }

  @Test
  void equalEntriesTakeTheFirst() {
    List<Descriptor> entries = new ArrayList<>();
    entries.add(entry(MediaTypes.OCI_MANIFEST, p("linux/amd64"), "first"));
    entries.add(entry(MediaTypes.OCI_MANIFEST, p("linux/amd64"), "second"));
    ImageIndex idx = new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of());
    assertEquals(entries.get(0), select(idx, "linux/amd64"));
  }

  @Test
  void aWindowsPlatformWithoutOsVersionTakesOneEntryPerOsVersion() {
    Descriptor w2019 = windows("10.0.17763.6189");
    Descriptor w2022 = windows("10.0.20348.2655");
    ImageIndex idx = index(w2019, image("linux/amd64"), w2022);
    assertEquals(List.of(w2019, w2022), PlatformMatcher.selectPerOsVersion(idx, p("windows/amd64"), List.of(), "b",
        "from"));
    assertEquals(List.of(w2022), PlatformMatcher.selectPerOsVersion(idx, p("windows/amd64"),
        List.of("10.0.20348"), "b", "from"));
    assertEquals(List.of(w2019), PlatformMatcher.selectPerOsVersion(idx, p("windows/amd64"),
        List.of("10.0.17763.1"), "b", "from"), "matched by build, as osVersion is");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlatformMatcher.selectPerOsVersion(idx,
        p("windows/amd64"), List.of("10.0.26100"), "base image W", "from"));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("10.0.17763.6189, 10.0.20348.2655"), e.getMessage());
  }
}
