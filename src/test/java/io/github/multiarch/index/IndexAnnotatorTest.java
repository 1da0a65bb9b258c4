package io.github.multiarch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexAnnotatorTest {
  @TempDir
  Path tmp;
  ImageSource source;
  ImageIndex index;

  @BeforeEach
  void build() {
    BuildResult built = TestImages.build(tmp, "1.0", "annotate");
    source = new ImageSource("image", "oci-layout:" + built.layout() + ":1.0", new io.github.multiarch.image.LayoutStore(OciLayout.open(built.layout())), "1.0", "1.0");
    io.github.multiarch.image.Manifest top = source.top();
    index = ImageIndex.parse(top.bytes(), top.mediaType(), "index");
  }

  private static Platform p(String text) {
    return Platform.parse("p", text);
  }

  private static AnnotateRequest request(List<Platform> select, String architecture, Map<String, String> add,
      List<String> remove, Map<String, String> indexAdd, boolean removeEntries, boolean force) {
    return new AnnotateRequest(select, List.of(), null, architecture, null, null, null, add, remove, indexAdd,
        List.of(), removeEntries, force);
  }

  @Test
  void annotatesTheSelectedEntryAndTheIndexOnly() {
    ImageIndex changed = IndexAnnotator.annotate(index, request(List.of(p("linux/arm/v7")), null, Map.of("A", "B"),
        List.of(), Map.of("org.opencontainers.image.description", "joined"), false, false), source);
    assertEquals(3, changed.manifests().size());
    assertEquals(Map.of("A", "B"), changed.manifests().get(2).annotations());
    assertEquals(Map.of(), changed.manifests().get(0).annotations(), "other entries unchanged");
    assertEquals("joined", changed.annotations().get("org.opencontainers.image.description"));
    for (int i = 0; i < 3; i++) {
      assertEquals(index.manifests().get(i).digest(), changed.manifests().get(i).digest(), "children untouched");
      assertEquals(index.manifests().get(i).platform(), changed.manifests().get(i).platform());
    }
    ImageIndex removed = IndexAnnotator.annotate(changed, request(List.of(), null, Map.of(), List.of("A"), Map.of(),
        false, false), source);
    assertTrue(removed.manifests().stream().allMatch(d -> d.annotations().isEmpty()), "no selection: every entry");
  }

  @Test
  void removesSelectedEntries() {
    ImageIndex changed = IndexAnnotator.annotate(index, request(List.of(p("linux/arm64")), null, Map.of(), List.of(),
        Map.of(), true, false), source);
    assertEquals(List.of("linux/amd64", "linux/arm/v7"),
        changed.manifests().stream().map(d -> d.platform().toString()).toList());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> IndexAnnotator.annotate(index,
        request(List.of(), null, Map.of(), List.of(), Map.of(), true, false), source));
    assertEquals("platforms", e.parameter(), "removal needs a selection");
  }

  @Test
  void aPlatformThatContradictsTheConfigNeedsForce() {
    AnnotateRequest wrong = request(List.of(p("linux/amd64")), "arm64", Map.of(), List.of(), Map.of(), false, false);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> IndexAnnotator.annotate(index, wrong, source));
    assertEquals("force", e.parameter());
    assertTrue(e.getMessage().contains("its image config says linux/amd64"), e.getMessage());
    ImageIndex forced = IndexAnnotator.annotate(index, request(List.of(p("linux/amd64")), "arm64", Map.of(),
        List.of(), Map.of(), false, true), source);
    assertEquals(p("linux/arm64/v8"), forced.manifests().get(0).platform());
  }

  @Test
  void aPlatformChangeOfSeveralEntriesIsCheckedAgainstEachConfig() {
    List<Platform> all = List.of(p("linux/amd64"), p("linux/arm64"), p("linux/arm/v7"));
    AnnotateRequest osVersion = new AnnotateRequest(all, List.of(), null, null, null, "6.1", null, Map.of(),
        List.of(), Map.of(), List.of(), false, false);
    ImageIndex changed = IndexAnnotator.annotate(index, osVersion, source);
    for (int i = 0; i < 3; i++) {
      Platform before = index.manifests().get(i).platform();
      Platform after = changed.manifests().get(i).platform();
      assertEquals("6.1", after.osVersion(), "every selected entry changed");
      assertEquals(before.architecture() + "/" + before.variant(), after.architecture() + "/" + after.variant(),
          "each keeps what its own config says");
    }
    AnnotateRequest wrong = request(all, "s390x", Map.of(), List.of(), Map.of(), false, false);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> IndexAnnotator.annotate(index, wrong, source));
    assertEquals("force", e.parameter());
    assertTrue(e.getMessage().contains("would say linux/s390x but its image config says linux/amd64"),
        e.getMessage());
  }

  @Test
  void aSelectionThatMatchesNothingListsTheEntries() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> IndexAnnotator.annotate(index,
        request(List.of(p("linux/s390x")), null, Map.of("A", "B"), List.of(), Map.of(), false, false), source));
    assertTrue(e.getMessage().contains("linux/arm/v7"), e.getMessage());
  }

  @Test
  void aDockerListCannotTakeAnnotations() {
    ImageIndex docker = new ImageIndex(MediaTypes.DOCKER_LIST, index.manifests().stream()
        .map(d -> d.withMediaType(MediaTypes.DOCKER_MANIFEST)).toList(), Map.of());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> IndexAnnotator.annotate(docker,
        request(List.of(), null, Map.of("A", "B"), List.of(), Map.of(), false, false), source));
    assertTrue(e.getMessage().contains("Docker manifest list"), e.getMessage());
  }

  @Test
  void keepsUnknownFieldsOfTheIndexAndEntries() {
    Descriptor first = index.manifests().get(0);
    com.fasterxml.jackson.databind.node.ObjectNode extra = io.github.multiarch.oci.OciJson.object();
    extra.put("artifactType", "application/example");
    ImageIndex withExtra = new ImageIndex(index.mediaType(), List.of(new Descriptor(first.mediaType(),
        first.digest(), first.size(), first.platform(), first.annotations(), extra)), Map.of(), extra);
    ImageIndex changed = IndexAnnotator.annotate(withExtra, request(List.of(), null, Map.of("A", "B"), List.of(),
        Map.of(), false, false), source);
    String json = new String(changed.toBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, json.split("\"artifactType\":\"application/example\"", -1).length - 1, json);
  }
}
