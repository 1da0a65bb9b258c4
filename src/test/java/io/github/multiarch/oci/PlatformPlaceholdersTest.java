package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlatformPlaceholdersTest {
  private static final Platform ARM_V7 = Platform.parse("p", "linux/arm/v7");
  private static final Platform AMD64 = Platform.parse("p", "linux/amd64");
  private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/arm/v7",
      "linux/ppc64le", "linux/s390x", "windows/amd64");

  /**
   * Every placeholder for the five Linux platforms and windows/amd64: the table docs/build.md shows. Each row
   * is a placeholder and its spelling for each platform, in the order of {@link #PLATFORMS}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      platform             | linux-amd64  | linux-arm64    | linux-arm-v7 | linux-ppc64le | linux-s390x  | windows-amd64
      os                   | linux        | linux          | linux        | linux         | linux        | windows
      arch                 | amd64        | arm64          | arm          | ppc64le       | s390x        | amd64
      variant              | ''           | ''             | v7           | ''            | ''           | ''
      goos                 | linux        | linux          | linux        | linux         | linux        | windows
      goarch               | amd64        | arm64          | arm          | ppc64le       | s390x        | amd64
      goarm                | ''           | ''             | 7            | ''            | ''           | ''
      unameMachine         | x86_64       | aarch64        | armv7l       | ppc64le       | s390x        | x86_64
      tripleArch           | x86_64       | aarch64        | armv7        | powerpc64le   | s390x        | x86_64
      debianArch           | amd64        | arm64          | armhf        | ppc64el       | s390x        | amd64
      osDetectedArch       | x86_64       | aarch_64       | arm_32       | ppcle_64      | s390_64      | x86_64
      osDetectedClassifier | linux-x86_64 | linux-aarch_64 | linux-arm_32 | linux-ppcle_64 | linux-s390_64 | windows-x86_64
      exeSuffix            | ''           | ''             | ''           | ''            | ''           | .exe
      """)
  void spellsEachPlatform(String placeholder, String amd64, String arm64, String armV7, String ppc64le,
      String s390x, String windows) {
    List<String> expected = List.of(amd64, arm64, armV7, ppc64le, s390x, windows);
    Map<String, String> actual = new LinkedHashMap<>();
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < PLATFORMS.size(); i++) {
      Platform platform = Platform.parse("platforms", PLATFORMS.get(i));
      actual.put(PLATFORMS.get(i), PlatformPlaceholders.expand("{" + placeholder + "}", platform, "layers"));
      wanted.put(PLATFORMS.get(i), expected.get(i));
    }
    assertEquals(wanted, actual);
  }

  @Test
  void tableCoversEveryPlaceholder() throws Exception {
    var rows = PlatformPlaceholdersTest.class.getDeclaredMethod("spellsEachPlatform", String.class, String.class,
        String.class, String.class, String.class, String.class, String.class).getAnnotation(CsvSource.class);
    List<String> tested = rows.textBlock().lines().map(l -> l.split("\\|")[0].trim()).filter(s -> !s.isEmpty())
        .toList();
    assertEquals(PlatformPlaceholders.all().stream().map(PlatformPlaceholders.Placeholder::name).toList(), tested);
  }

  @Test
  void arm64WithAndWithoutItsDefaultVariantIsOneName() {
    for (String text : List.of("linux/arm64", "linux/arm64/v8", "linux/aarch64", "linux/arm64/8")) {
      Platform arm64 = Platform.parse("platforms", text);
      assertEquals("linux-arm64", PlatformPlaceholders.expand("{platform}", arm64, "layers"), text);
      assertEquals("v8", arm64.variant(), "the index entry keeps arm64's variant: " + text);
    }
    assertEquals("linux-arm64-v9", PlatformPlaceholders.expand("{platform}",
        Platform.parse("platforms", "linux/arm64/v9"), "layers"), "a variant other than the default is written");
    assertEquals("linux-arm-v6 armv6l arm 6 armel", PlatformPlaceholders.expand(
        "{platform} {unameMachine} {tripleArch} {goarm} {debianArch}", Platform.parse("platforms", "linux/arm/v6"),
        "layers"));
  }

  @Test
  void expandsInsideText() {
    assertEquals("build/linux-arm-v7/hello", PlatformPlaceholders.expand("build/{platform}/hello", ARM_V7, "layers"));
    assertEquals("out/linux/arm/v7/x", PlatformPlaceholders.expand("out/{os}/{arch}/{variant}/x", ARM_V7, "layers"));
    assertEquals("greet-armv7-unknown-linux-gnueabihf", PlatformPlaceholders.expand(
        "greet-{tripleArch}-unknown-linux-gnueabihf", ARM_V7, "layers"));
    assertEquals("no/placeholders", PlatformPlaceholders.expand("no/placeholders", AMD64, "layers"));
    assertEquals("dir-$1\\x/linux", PlatformPlaceholders.expand("dir-$1\\x/{os}", AMD64, "layers"),
        "regex replacement characters in the text are kept");
    assertEquals("1.0-arm-v7", PlatformPlaceholders.expand("{tag}-{arch}-{variant}", ARM_V7, Map.of("tag", "1.0"),
        "platformTags"), "extra placeholders such as push's {tag}");
  }

  @Test
  void unknownPlaceholderIsRefusedListingTheValidOnes() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PlatformPlaceholders.expand("bin/{foo}/hello", AMD64, "layers"));
    assertEquals("layers", e.parameter());
    assertTrue(e.getMessage().contains("{foo}"), e.getMessage());
    assertTrue(e.getMessage().contains("bin/{foo}/hello"), e.getMessage());
    assertTrue(e.getMessage().contains("{platform}, {os}, {arch}, {variant}, {goos}"), e.getMessage());
    InvalidInputException tag = assertThrows(InvalidInputException.class,
        () -> PlatformPlaceholders.expand("{tag}-{Platform}", AMD64, Map.of("tag", "1"), "platformTags"));
    assertTrue(tag.getMessage().contains("valid: {tag}, {platform}"), tag.getMessage());
    assertTrue(tag.getMessage().contains("case-sensitive"), tag.getMessage());
  }

  @Test
  void detectsPlaceholders() {
    assertTrue(PlatformPlaceholders.hasAny("a/{arch}"));
    assertFalse(PlatformPlaceholders.hasAny("a/b"));
    assertFalse(PlatformPlaceholders.hasAny("a/{}"));
    assertEquals(List.of("os", "arch"), PlatformPlaceholders.used("{os}/{arch}-{os}"));
  }
}
