package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

  @Test
  void classifiesIndexesAndManifests() {
    assertTrue(MediaTypes.isIndex(MediaTypes.OCI_INDEX));
    assertTrue(MediaTypes.isIndex(MediaTypes.DOCKER_LIST));
    assertFalse(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST));
    assertFalse(MediaTypes.isIndex(null));
    assertTrue(MediaTypes.isManifest(MediaTypes.OCI_MANIFEST));
    assertTrue(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST));
    assertFalse(MediaTypes.isManifest(MediaTypes.OCI_INDEX));
    assertFalse(MediaTypes.isManifest("application/vnd.docker.distribution.manifest.v1+prettyjws"));
    assertTrue(MediaTypes.isDocker(MediaTypes.DOCKER_CONFIG));
    assertFalse(MediaTypes.isDocker(MediaTypes.OCI_CONFIG));
    assertFalse(MediaTypes.isDocker(null));
  }

  @Test
  void relabelsLayersToTheFamilyOfTheManifest() {
    assertEquals(MediaTypes.OCI_LAYER_GZIP, MediaTypes.layerInFamily(MediaTypes.DOCKER_LAYER_GZIP, ImageFormat.OCI));
    assertEquals(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP,
        MediaTypes.layerInFamily(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP, ImageFormat.OCI));
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, MediaTypes.layerInFamily(MediaTypes.OCI_LAYER_ZSTD, ImageFormat.OCI));
    assertEquals(MediaTypes.DOCKER_LAYER_GZIP,
        MediaTypes.layerInFamily(MediaTypes.OCI_LAYER_GZIP, ImageFormat.DOCKER));
    assertEquals(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP,
        MediaTypes.layerInFamily(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, ImageFormat.DOCKER));
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, MediaTypes.layerInFamily(MediaTypes.OCI_LAYER_ZSTD, ImageFormat.DOCKER),
        "zstd has no Docker type: left as is (and refused by the builder)");
  }

  @Test
  void formatsHaveTheirFamilies() {
    assertEquals(MediaTypes.OCI_INDEX, ImageFormat.OCI.indexMediaType());
    assertEquals(MediaTypes.OCI_MANIFEST, ImageFormat.OCI.manifestMediaType());
    assertEquals(MediaTypes.OCI_CONFIG, ImageFormat.OCI.configMediaType());
    assertEquals(MediaTypes.OCI_LAYER_GZIP, ImageFormat.OCI.layerMediaType());
    assertEquals(MediaTypes.DOCKER_LIST, ImageFormat.DOCKER.indexMediaType());
    assertEquals(MediaTypes.DOCKER_MANIFEST, ImageFormat.DOCKER.manifestMediaType());
    assertEquals(MediaTypes.DOCKER_CONFIG, ImageFormat.DOCKER.configMediaType());
    assertEquals(MediaTypes.DOCKER_LAYER_GZIP, ImageFormat.DOCKER.layerMediaType());
  }

  @Test
  void parsesFormat() {
    assertEquals(ImageFormat.OCI, ImageFormat.parse("format", null));
    assertEquals(ImageFormat.OCI, ImageFormat.parse("format", " OCI "));
    assertEquals(ImageFormat.DOCKER, ImageFormat.parse("format", "docker"));
    assertEquals("docker", ImageFormat.DOCKER.toString());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFormat.parse("format", "v2s2"));
    assertEquals("format", e.parameter());
    assertTrue(e.getMessage().contains("'v2s2'") && e.getMessage().contains("oci") && e.getMessage().contains("docker"));
  }
}
