package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  private static final Platform ARM_V7 = Platform.parse("p", "linux/arm/v7");
  private static final Platform AMD64 = Platform.parse("p", "linux/amd64");

  @Test
  void expandsEveryPlaceholder() {
    assertEquals("build/linux-arm-v7/hello", Placeholders.expand("build/{platform}/hello", ARM_V7, "layers"));
    assertEquals("out/linux/arm/v7/x", Placeholders.expand("out/{os}/{arch}/{variant}/x", ARM_V7, "layers"));
    assertEquals("out/linux-amd64/amd64-", Placeholders.expand("out/{platform}/{arch}-{variant}", AMD64, "layers"));
    assertEquals("no/placeholders", Placeholders.expand("no/placeholders", AMD64, "layers"));
    assertEquals("dir-$1\\x/linux", Placeholders.expand("dir-$1\\x/{os}", AMD64, "layers"),
        "regex replacement characters in the text are kept");
  }

  @Test
  void unknownPlaceholderIsRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Placeholders.expand("bin/{foo}/hello", AMD64, "platforms"));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains("{foo}"), e.getMessage());
    assertTrue(e.getMessage().contains("bin/{foo}/hello"), e.getMessage());
    assertTrue(e.getMessage().contains("{os}, {arch}, {variant}, {platform}"), e.getMessage());
  }

  @Test
  void detectsPlaceholders() {
    assertTrue(Placeholders.hasAny("a/{arch}"));
    assertFalse(Placeholders.hasAny("a/b"));
    assertFalse(Placeholders.hasAny("a/{}"));
  }
}
