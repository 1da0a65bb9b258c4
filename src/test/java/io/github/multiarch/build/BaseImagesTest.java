package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImagesTest {
  @TempDir
  Path tmp;

  @Test
  void scratchInItsSpellings() {
    for (String from : new String[] {null, "", "  ", "scratch", " scratch "}) {
      BaseImage base = BaseImages.parse("from", from, tmp, tmp.resolve("work"));
      assertInstanceOf(ScratchBase.class, base, "'" + from + "'");
      assertEquals("scratch", base.reference());
    }
  }

  @Test
  void scratchResolvesToAnEmptyImageForThePlatform() {
    ResolvedBase resolved = new ScratchBase().resolve(Platform.parse("p", "linux/arm/v7"), "from");
    assertEquals("scratch", resolved.description());
    assertTrue(resolved.layers().isEmpty());
    assertNull(resolved.manifest());
    assertEquals(Platform.parse("p", "linux/arm/v7"), resolved.config().platform());
  }

  @Test
  void layoutWithAndWithoutTag() {
    BaseLayouts base = new BaseLayouts(tmp.resolve("dir"), tmp.resolve("scratch"));
    BaseLayouts.BaseImage image = base.image(Platform.parse("p", "linux/amd64"), ImageFormat.OCI, 1);
    base.index("2.1", ImageFormat.OCI, List.of(BaseLayouts.entry(image)));
    Platform amd64 = Platform.parse("p", "linux/amd64");
    for (String from : List.of("oci-layout:dir:2.1", "oci-layout:dir", "oci-layout:" + tmp.resolve("dir") + ":2.1")) {
      ResolvedBase resolved = BaseImages.parse("from", from, tmp, tmp.resolve("work")).resolve(amd64, "from");
      assertEquals(image.manifest().digest(), resolved.manifestDescriptor().digest(), from);
      assertEquals(image.model().layers(), resolved.layers());
      assertTrue(resolved.description().contains(image.manifest().digest().toString()), resolved.description());
    }
    Path tar = tmp.resolve("base.tar");
    LayoutArchive.write(base.layout(), tar);
    ResolvedBase fromTar = BaseImages.parse("from", "oci-archive:base.tar:2.1", tmp, tmp.resolve("work"))
        .resolve(amd64, "from");
    assertEquals(image.manifest().digest(), fromTar.manifestDescriptor().digest());
    assertTrue(((io.github.multiarch.image.LayoutStore) fromTar.store()).layout().root().startsWith(tmp.resolve("work")),
        "extracted into the work directory");
  }

  @Test
  void layoutPrefixWithoutAPath() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BaseImages.parse("from", "oci-layout:", tmp, tmp.resolve("work")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("names no path"), e.getMessage());
    assertTrue(e.getMessage().contains("oci-layout:PATH[:TAG]"), e.getMessage());
  }

  @Test
  void layoutThatIsNotThere() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BaseImages.parse("platforms", "oci-layout:missing:1.0", tmp, tmp.resolve("work")));
    assertEquals("platforms", e.parameter());
    assertTrue(e.getMessage().contains(tmp.resolve("missing").toString()), e.getMessage());
  }

  @Test
  void archiveThatIsNotThere() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BaseImages.parse("from", "oci-archive:missing.tar", tmp, tmp.resolve("work")));
    assertTrue(e.getMessage().contains("no layout tar at " + tmp.resolve("missing.tar")), e.getMessage());
  }

  @Test
  void invalidRegistryReference() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BaseImages.parse("from", "Not A/Reference", tmp, tmp.resolve("work")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("Not A/Reference"), e.getMessage());
  }

  @Test
  void registryReferenceWithoutRegistryAccess() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> BaseImages.parse("from", "registry.example.com/base:1", tmp, tmp.resolve("work")));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("registry.example.com/base:1"), e.getMessage());
  }
}
