package io.github.multiarch.oci;

/** The media types of the OCI image spec and of Docker's image manifest v2 schema 2. */
public final class MediaTypes {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_FOREIGN_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /** Every manifest type, in the order sent in {@code Accept} when pulling. */
  /** Every manifest media type, for {@code Accept}: an immutable list (an array could be changed by anyone). */
  public static final java.util.List<String> ALL_MANIFESTS = java.util.List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_LIST,
      DOCKER_MANIFEST);

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /**
   * Whether a layer is non-distributable ("foreign" in Docker's words): its blob is served from the descriptor's
   * {@code urls} (Windows base layers: Microsoft's CDN), not by the registry, and may not be redistributed.
   * Such a layer is referenced, never downloaded or uploaded, unless a push is told it may be
   * (image-spec layer.md "Non-distributable layers"; distribution skips the blob check for them when a
   * manifest is put: https://github.com/distribution/distribution/blob/main/registry/storage/schema2manifesthandler.go).
   */
  public static boolean isNonDistributable(String mediaType) {
    return DOCKER_FOREIGN_LAYER_GZIP.equals(mediaType) || OCI_LAYER_NONDISTRIBUTABLE_GZIP.equals(mediaType)
        || OCI_LAYER_NONDISTRIBUTABLE_TAR.equals(mediaType) || OCI_LAYER_NONDISTRIBUTABLE_ZSTD.equals(mediaType);
  }

  public static boolean isDocker(String mediaType) {
    return mediaType != null && mediaType.startsWith("application/vnd.docker.");
  }

  /**
   * The media type a base-image layer gets in a manifest of the given family. The blob is the same bytes;
   * only its label follows the family of the manifest that refers to it.
   */
  public static String layerInFamily(String layerMediaType, ImageFormat format) {
    if (format == ImageFormat.DOCKER) {
      return switch (layerMediaType) {
        case OCI_LAYER_GZIP -> DOCKER_LAYER_GZIP;
        case OCI_LAYER_NONDISTRIBUTABLE_GZIP -> DOCKER_FOREIGN_LAYER_GZIP;
        default -> layerMediaType;
      };
    }
    return switch (layerMediaType) {
      case DOCKER_LAYER_GZIP -> OCI_LAYER_GZIP;
      case DOCKER_FOREIGN_LAYER_GZIP -> OCI_LAYER_NONDISTRIBUTABLE_GZIP;
      default -> layerMediaType;
    };
  }
}
