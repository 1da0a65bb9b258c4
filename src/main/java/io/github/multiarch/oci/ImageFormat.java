package io.github.multiarch.oci;

import java.util.Locale;

/** Which family of media types an image and its index use. Never converted silently. */
public enum ImageFormat {
  /** OCI image index, OCI manifests, OCI config and layers. */
  OCI(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, MediaTypes.OCI_LAYER_GZIP),
  /** Docker manifest list and Docker v2 schema 2 manifests; cannot carry annotations. */
  DOCKER(MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG,
      MediaTypes.DOCKER_LAYER_GZIP);

  private final String indexMediaType;
  private final String manifestMediaType;
  private final String configMediaType;
  private final String layerMediaType;

  ImageFormat(String index, String manifest, String config, String layer) {
    this.indexMediaType = index;
    this.manifestMediaType = manifest;
    this.configMediaType = config;
    this.layerMediaType = layer;
  }

  public static ImageFormat parse(String parameter, String text) {
    if (text == null || text.isBlank()) {
      return OCI;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "oci" -> OCI;
      case "docker" -> DOCKER;
      default -> throw new InvalidInputException(parameter,
          "unknown format '" + text + "'; valid: oci (OCI image index, the default) or docker (Docker manifest list)");
    };
  }

  public String indexMediaType() {
    return indexMediaType;
  }

  public String manifestMediaType() {
    return manifestMediaType;
  }

  public String configMediaType() {
    return configMediaType;
  }

  public String layerMediaType() {
    return layerMediaType;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
