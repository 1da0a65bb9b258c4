package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNameTest {

  @Test
  void parsesRegistryRepositoryAndTag() {
    ImageName name = ImageName.parse("image", "registry.example.com:5000/team/app:1.0");
    assertEquals("registry.example.com:5000", name.registry());
    assertEquals("team/app", name.repository());
    assertEquals("1.0", name.tag());
    assertNull(name.digest());
    assertEquals("registry.example.com:5000/team/app", name.repositoryReference());
  }

  @Test
  void noTagWhenNoneIsWritten() {
    ImageName name = ImageName.parse("image", "registry.example.com/team/app");
    assertNull(name.tag());
    assertEquals("latest", ImageName.parse("image", "registry.example.com/team/app:latest").tag());
  }

  @Test
  void parsesDigest() {
    String digest = "sha256:" + "e".repeat(64);
    ImageName name = ImageName.parse("image", "localhost:5000/app@" + digest);
    assertEquals(digest, name.digest());
    assertTrue(name.toString().endsWith("@" + digest));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Registry.example.com/Team/App:1", "app:bad tag", "app::1"})
  void refusesInvalidReferences(String text) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageName.parse("image", text));
    assertEquals("image", e.parameter());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void refusesPortsOutOfRange() {
    for (String text : java.util.List.of("localhost:99999/app", "localhost:0/app", "registry.example.com:65536/a/b:1")) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageName.parse("image", text));
      assertEquals("image", e.parameter());
      assertTrue(e.getMessage().contains("a port is a number from 1 to 65535"), e.getMessage());
      assertTrue(e.getMessage().contains(text), e.getMessage());
    }
    assertEquals("localhost:65535", ImageName.parse("image", "localhost:65535/app").registry());
  }

  @Test
  void refusesEmptyAndScratch() {
    assertEquals("image", assertThrows(InvalidInputException.class, () -> ImageName.parse("image", " ")).parameter());
    assertThrows(InvalidInputException.class, () -> ImageName.parse("image", "scratch"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "latest", "_x", "a", "v1.2.3-rc.1_build"})
  void acceptsValidTags(String tag) {
    assertEquals(tag, ImageName.validateTag("tags", tag));
    assertTrue(ImageName.isValidTag(tag));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-bad", ".bad", "a:b", "a/b", "with space", ""})
  void refusesInvalidTags(String tag) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageName.validateTag("tags", tag));
    assertEquals("tags", e.parameter());
    assertTrue(e.getMessage().contains("'" + tag + "'"), e.getMessage());
    assertFalse(ImageName.isValidTag(tag));
  }

  @Test
  void tagLengthLimit() {
    assertTrue(ImageName.isValidTag("a".repeat(128)));
    assertFalse(ImageName.isValidTag("a".repeat(129)));
  }
}
