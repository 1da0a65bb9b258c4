package io.github.multiarch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectorTest {
  @TempDir
  Path tmp;

  private BuildResult build(ImageFormat format, Map<String, String> annotations) throws Exception {
    Files.writeString(tmp.resolve("file.txt"), "content");
    List<PlatformRequest> platforms = new ArrayList<>();
    platforms.add(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")));
    platforms.add(new PlatformRequest(Platform.parse("platforms", "linux/arm/v7"),
        format == ImageFormat.OCI ? Map.of("com.example.board", "pi") : Map.of(), null, List.of()));
    return new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1.0"), format, "scratch",
        platforms, List.of(new LayerSpec("files", List.of(new LayerFile(tmp.resolve("file.txt"), "/f", null)))),
        null, annotations, Instant.EPOCH, tmp.resolve("out"), false, tmp));
  }

  private static ImageSource source(Path layout, String tag) {
    return new ImageSource("image", "oci-layout:" + layout + ":" + tag, new io.github.multiarch.image.LayoutStore(OciLayout.open(layout)), tag, tag);
  }

  @Test
  void inspectsAnIndexWithItsEntriesAnnotationsAndFamily() throws Exception {
    BuildResult result = build(ImageFormat.OCI, Map.of("org.opencontainers.image.title", "t"));
    Inspection inspection = Inspector.inspect(source(result.layout(), "1.0"));
    assertTrue(inspection.index());
    assertEquals(result.index().digest(), inspection.top().digest());
    assertEquals(List.of("OCI"), inspection.families());
    assertFalse(inspection.mixed());
    assertEquals(2, inspection.entries().size());
    assertEquals("linux/arm/v7", inspection.entries().get(1).platform().toString());
    assertEquals(Map.of("com.example.board", "pi"), inspection.entries().get(1).annotations());
    assertEquals("t", inspection.annotations().get("org.opencontainers.image.title"));

    JsonNode json = Inspector.json(inspection);
    assertEquals(result.index().digest().toString(), json.get("digest").asText());
    assertEquals(MediaTypes.OCI_INDEX, json.get("mediaType").asText());
    assertEquals("linux/arm/v7", json.get("manifests").get(1).get("platform").asText());
    assertEquals("v7", json.get("manifests").get(1).get("platformFields").get("variant").asText());
    assertEquals("pi", json.get("manifests").get(1).get("annotations").get("com.example.board").asText());
    assertEquals("image", json.get("manifests").get(0).get("kind").asText());

    List<String> table = Inspector.table(inspection);
    assertTrue(table.get(0).contains("OCI image index " + result.index().digest()), table.get(0));
    assertTrue(table.stream().anyMatch(l -> l.trim().startsWith("linux/arm/v7") && l.contains("image")), table.toString());
    assertTrue(table.contains("      com.example.board=pi"), table.toString());
    assertTrue(table.contains("    org.opencontainers.image.title=t"), table.toString());
  }

  @Test
  void aSingleImageTakesItsPlatformFromTheConfig() throws Exception {
    BuildResult result = build(ImageFormat.OCI, Map.of());
    OciLayout layout = OciLayout.open(result.layout());
    Descriptor arm = result.images().get(1).manifest();
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(arm.withAnnotations(Map.of(OciLayout.REF_NAME, "arm"))), Map.of()));
    Inspection inspection = Inspector.inspect(source(result.layout(), "arm"));
    assertFalse(inspection.index());
    assertEquals(1, inspection.entries().size());
    assertEquals(Platform.parse("p", "linux/arm/v7"), inspection.entries().get(0).platform());
    assertTrue(Inspector.table(inspection).get(0).contains("OCI image manifest"));
  }

  @Test
  void marksAttestationsAndMixedFamilies() throws Exception {
    BuildResult oci = build(ImageFormat.OCI, Map.of());
    OciLayout layout = OciLayout.open(oci.layout());
    Descriptor amd = oci.images().get(0).manifest();
    Descriptor attestation = amd.withPlatform(Platform.lenient("unknown", "unknown", null, null, null))
        .withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest"));
    Descriptor dockerTyped = oci.images().get(1).manifest().withMediaType(MediaTypes.DOCKER_MANIFEST)
        .withPlatform(Platform.parse("p", "linux/arm/v7"));
    ImageIndex mixed = new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(amd.withPlatform(Platform.parse("p", "linux/amd64")), dockerTyped, attestation), Map.of());
    Descriptor top = layout.writeBlob(MediaTypes.OCI_INDEX, mixed.toBytes());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(top.withAnnotations(Map.of(OciLayout.REF_NAME, "mixed"))), Map.of()));
    Inspection inspection = Inspector.inspect(source(oci.layout(), "mixed"));
    assertTrue(inspection.mixed());
    assertEquals(List.of("OCI", "Docker"), inspection.families());
    assertEquals("attestation", inspection.entries().get(2).kind());
    assertTrue(Inspector.table(inspection).get(1).contains("mixed media types: OCI and Docker"));
    assertTrue(Inspector.json(inspection).get("mixed").asBoolean());
  }

  @Test
  void theTableStaysAlignedWithALongWindowsPlatform() throws Exception {
    BuildResult oci = build(ImageFormat.OCI, Map.of());
    OciLayout layout = OciLayout.open(oci.layout());
    Descriptor windows = oci.images().get(0).manifest().withPlatform(Platform.of("p", "windows", "amd64", null,
        "10.0.20348.2655", List.of()));
    ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(windows, oci.images().get(1).manifest()),
        Map.of());
    Descriptor top = layout.writeBlob(MediaTypes.OCI_INDEX, index.toBytes());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(top.withAnnotations(Map.of(OciLayout.REF_NAME, "win"))), Map.of()));
    List<String> table = Inspector.table(Inspector.inspect(source(oci.layout(), "win")));
    int column = table.get(1).indexOf("DIGEST");
    assertTrue(column > 0, table.toString());
    for (int i = 2; i < 4; i++) {
      assertEquals(column, table.get(i).indexOf("sha256:"), "row " + i + " is not aligned: " + table);
    }
    assertTrue(table.get(2).trim().startsWith("windows/amd64 (os.version 10.0.20348.2655) "), table.get(2));
  }

  @Test
  void aMissingLayoutOrTagIsAnInputError() throws Exception {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageSources.parse("image", "oci-layout:nowhere", tmp, tmp.resolve("work"), r -> null));
    assertEquals("image", e.parameter());
    assertTrue(e.getMessage().contains("no OCI layout"), e.getMessage());
    BuildResult result = build(ImageFormat.OCI, Map.of());
    ImageSource source = ImageSources.parse("image", "oci-layout:" + result.layout() + ":nope", tmp,
        tmp.resolve("work"), r -> null);
    assertThrows(RuntimeException.class, () -> Inspector.inspect(source));
  }
}
