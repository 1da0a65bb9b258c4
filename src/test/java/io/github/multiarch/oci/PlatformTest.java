package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

  private static Platform p(String text) {
    return Platform.parse("platforms", text);
  }

  @Test
  void parsesOsArchitectureAndVariant() {
    Platform platform = p("linux/arm/v6");
    assertEquals("linux", platform.os());
    assertEquals("arm", platform.architecture());
    assertEquals("v6", platform.variant());
    assertEquals("", platform.osVersion());
    assertEquals(List.of(), platform.osFeatures());
    assertEquals("linux/arm/v6", platform.toString());
    assertEquals("linux-arm-v6", platform.slug());
  }

  @Test
  void arm64KeepsItsVariantButItsSlugOmitsTheDefault() {
    Platform arm64 = p("linux/arm64");
    assertEquals("v8", arm64.variant(), "written in the index entry (arm64 ≡ arm64/v8)");
    assertEquals("", arm64.canonicalVariant());
    assertEquals("linux/arm64/v8", arm64.toString());
    assertEquals("linux-arm64", arm64.slug(), "containerd's canonical format, as toolchains name files");
    assertEquals("linux-arm64-v8.2", p("linux/arm64/v8.2").slug());
    assertEquals("v7", p("linux/arm/v7").canonicalVariant());
  }

  @Test
  void parsesWithoutVariant() {
    Platform platform = p("linux/ppc64le");
    assertEquals("linux", platform.os());
    assertEquals("ppc64le", platform.architecture());
    assertEquals("", platform.variant());
    assertEquals("linux/ppc64le", platform.toString());
  }

  @Test
  void trimsAndLowercases() {
    assertEquals(p("linux/amd64"), p("  Linux/AMD64 "));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "linux/aarch64, linux/arm64/v8",
      "linux/arm64, linux/arm64/v8",
      "linux/arm64/8, linux/arm64/v8",
      "linux/x86_64, linux/amd64",
      "linux/x86-64, linux/amd64",
      "linux/armhf, linux/arm/v7",
      "linux/armel, linux/arm/v6",
      "linux/i386, linux/386",
      "linux/i686, linux/386",
      "linux/arm, linux/arm/v7",
      "linux/arm/7, linux/arm/v7",
      "linux/amd64/v1, linux/amd64",
      "linux/amd64/3, linux/amd64/v3",
      "linux/s390x, linux/s390x",
      "windows/amd64, windows/amd64"})
  void normalizesLikeContainerd(String input, String expected) {
    assertEquals(expected, p(input).toString());
  }

  @Test
  void arm64EqualsArm64V8() {
    Platform a = p("linux/arm64");
    Platform b = p("linux/arm64/v8");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals("v8", a.variant());
  }

  @Test
  void bareArmIsV7AndArmhfEqualsIt() {
    assertEquals(p("linux/arm/v7"), p("linux/arm"));
    assertEquals(p("linux/arm/v7"), p("linux/armhf"));
    assertEquals(p("linux/arm/v6"), p("linux/armel"));
    assertNotEquals(p("linux/arm/v6"), p("linux/arm/v7"));
  }

  @Test
  void differentOsVersionsAreDifferentPlatforms() {
    Platform a = Platform.of("platforms", "windows", "amd64", "", "10.0.20348.2655", List.of());
    Platform b = Platform.of("platforms", "windows", "amd64", "", "10.0.17763.6189", List.of());
    assertNotEquals(a, b);
    assertEquals("windows/amd64 (os.version 10.0.20348.2655)", a.describe());
  }

  @Test
  void missingArchitectureIsRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Platform.parse("platforms", "linux"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("'linux'"), e.getMessage());
    assertTrue(e.getMessage().contains("os/architecture"), e.getMessage());
    assertTrue(e.getMessage().contains("linux/amd64"), e.getMessage());
  }

  @Test
  void tooManyPartsAreRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.parse("platforms", "linux/arm/v7/extra"));
    assertTrue(e.getMessage().contains("linux/arm/v7/extra"), e.getMessage());
  }

  @Test
  void emptyPartsAreRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Platform.parse("platforms", "/amd64"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("/amd64"), e.getMessage());
  }

  @Test
  void unknownArmVariantIsRefusedListingTheValidOnes() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.parse("platforms", "linux/arm/v9"));
    assertEquals("platforms", e.parameter());
    assertAll(
        () -> assertTrue(e.getMessage().contains("'v9'"), e.getMessage()),
        () -> assertTrue(e.getMessage().contains("linux/arm/v9"), e.getMessage()),
        () -> assertTrue(e.getMessage().contains("v5, v6, v7, v8"), e.getMessage()));
  }

  @Test
  void unknownOsIsRefusedListingTheValidOnes() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.parse("multiarch.platforms", "lnux/amd64"));
    assertEquals("multiarch.platforms", e.parameter());
    assertAll(
        () -> assertTrue(e.getMessage().contains("'lnux'"), e.getMessage()),
        () -> assertTrue(e.getMessage().contains("linux"), e.getMessage()),
        () -> assertTrue(e.getMessage().contains("windows"), e.getMessage()),
        () -> assertTrue(e.getMessage().contains("darwin"), e.getMessage()));
  }

  @Test
  void amd64WithAnArmVariantIsRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.parse("platforms", "linux/amd64/v7"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("'v7'"), e.getMessage());
    assertTrue(e.getMessage().contains("linux/amd64/v7"), e.getMessage());
    assertTrue(e.getMessage().contains("v2, v3, v4"), e.getMessage());
  }

  @Test
  void unknownArchitectureIsRefusedListingTheValidOnes() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.parse("platforms", "linux/sparc"));
    assertTrue(e.getMessage().contains("'sparc'"), e.getMessage());
    assertTrue(e.getMessage().contains("arm64"), e.getMessage());
    assertTrue(e.getMessage().contains("riscv64"), e.getMessage());
    assertTrue(e.getMessage().contains("aarch64"), "aliases are named too: " + e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void emptyIsRefused(String text) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Platform.parse("platforms", text));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("empty platform"), e.getMessage());
    assertTrue(e.getMessage().contains("linux/arm/v7"), e.getMessage());
  }

  @Test
  void nullIsRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Platform.parse("platforms", null));
    assertEquals("platforms", e.parameter());
  }

  @Test
  void variantOnAnArchitectureWithoutVariantsIsRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.parse("platforms", "linux/s390x/v2"));
    assertTrue(e.getMessage().contains("'v2'"), e.getMessage());
  }

  @Test
  void windowsOsVersionIsValidated() {
    Platform ok = Platform.of("platforms", "windows", "amd64", null, "10.0.20348.2655", List.of("win32k"));
    assertEquals("10.0.20348.2655", ok.osVersion());
    assertEquals(List.of("win32k"), ok.osFeatures());
    assertEquals("10.0.17763", Platform.of("p", "windows", "amd64", "", "10.0.17763", List.of()).osVersion());

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Platform.of("osVersion", "windows", "amd64", "", "ltsc2022", List.of()));
    assertEquals("osVersion", e.parameter());
    assertTrue(e.getMessage().contains("'ltsc2022'"), e.getMessage());
    assertTrue(e.getMessage().contains("10.0.20348"), e.getMessage());

    assertThrows(InvalidInputException.class,
        () -> p("windows/amd64").withOsVersion("10.0"));
    assertEquals("10.0.20348.1", p("windows/amd64").withOsVersion("10.0.20348.1").osVersion());
  }

  @Test
  void osFeaturesAreTrimmedAndBlankOnesDropped() {
    Platform platform = Platform.of("p", "windows", "amd64", "", "", List.of(" win32k ", " "));
    assertEquals(List.of("win32k"), platform.osFeatures());
  }

  @Test
  void armV7RunsV6AndV5ButNotV8() {
    Platform v7 = p("linux/arm/v7");
    assertTrue(v7.canRun(p("linux/arm/v7")));
    assertTrue(v7.canRun(p("linux/arm/v6")));
    assertTrue(v7.canRun(p("linux/arm/v5")));
    assertFalse(v7.canRun(p("linux/arm/v8")));
    assertEquals(0, v7.compatibilityRank(p("linux/arm/v7")));
    int v6 = v7.compatibilityRank(p("linux/arm/v6"));
    int v5 = v7.compatibilityRank(p("linux/arm/v5"));
    assertTrue(v6 > 0 && v5 > v6, "v6 is a closer match than v5: " + v6 + " vs " + v5);
    assertEquals(-1, v7.compatibilityRank(p("linux/arm/v8")));
  }

  @Test
  void armV6DoesNotRunV7() {
    assertFalse(p("linux/arm/v6").canRun(p("linux/arm/v7")));
  }

  @Test
  void amd64V3RunsV2AndPlainAmd64() {
    Platform v3 = p("linux/amd64/v3");
    assertTrue(v3.canRun(p("linux/amd64/v2")));
    assertTrue(v3.canRun(p("linux/amd64")));
    assertFalse(v3.canRun(p("linux/amd64/v4")));
    assertTrue(v3.compatibilityRank(p("linux/amd64")) > v3.compatibilityRank(p("linux/amd64/v2")));
    assertFalse(p("linux/amd64").canRun(p("linux/amd64/v2")));
  }

  @Test
  void differentArchitecturesOrOsesAreNotCompatible() {
    assertFalse(p("linux/arm64").canRun(p("linux/arm/v7")));
    assertFalse(p("linux/arm/v7").canRun(p("linux/arm64")));
    assertFalse(p("linux/amd64").canRun(p("windows/amd64")));
    assertFalse(p("linux/amd64").canRun(p("linux/386")));
    assertEquals(-1, p("linux/arm64").compatibilityRank(p("linux/arm/v8")));
  }

  @Test
  void lenientKeepsUnknownValuesAndNormalizesKnownOnes() {
    Platform unknown = Platform.lenient("unknown", "unknown", null, null, null);
    assertTrue(unknown.isUnknown());
    assertEquals("unknown/unknown", unknown.toString());
    assertEquals(p("linux/arm64/v8"), Platform.lenient("linux", "aarch64", null, null, null));
    assertFalse(p("linux/amd64").isUnknown());
  }
}
