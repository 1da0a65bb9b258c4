package io.github.multiarch.build;

import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.ImageFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a multi-platform build needs, already gathered from the POM. Source paths of layers may hold
 * the placeholders of {@link io.github.multiarch.oci.PlatformPlaceholders}.
 *
 * @param image the target repository, e.g. {@code registry.example.com/team/app} (recorded in the metadata)
 * @param tags tags to name the index with in the layout (validated by the builder)
 * @param from the base of every platform that does not name its own: scratch, oci-layout:… or oci-archive:…
 * @param commonLayers layers every platform gets, in order, after the base's
 * @param indexAnnotations annotations of the index (OCI format only)
 * @param creationTime the time written as {@code created} in configs and history (EPOCH when null)
 * @param outputDirectory where the layout ({@code oci/}), the digest and the metadata go
 * @param tarball also write the layout as {@code image.tar}
 * @param basedir against which relative paths resolve
 * @param registryAccess how to fetch registry base images, or null when there is no registry access
 * @param layerCache where built layers are kept between builds (see {@link io.github.multiarch.layer.LayerCache}),
 *     or null to build every layer
 * @param filesModificationTime the modification time of every file in the layers built; null for
 *     {@code creationTime}
 * @param attestor makes each platform's attestations (SBOM, provenance), or null for none
 */
public record BuildRequest(String image, List<String> tags, ImageFormat format, String from,
    List<PlatformRequest> platforms, List<LayerSpec> commonLayers, ContainerSpec container,
    Map<String, String> indexAnnotations, Instant creationTime, Path outputDirectory, boolean tarball,
    Path basedir, RegistryAccess registryAccess, Path layerCache, Instant filesModificationTime,
    Attestor attestor) {

  /** A request without attestations. */
  public BuildRequest(String image, List<String> tags, ImageFormat format, String from,
      List<PlatformRequest> platforms, List<LayerSpec> commonLayers, ContainerSpec container,
      Map<String, String> indexAnnotations, Instant creationTime, Path outputDirectory, boolean tarball,
      Path basedir, RegistryAccess registryAccess, Path layerCache, Instant filesModificationTime) {
    this(image, tags, format, from, platforms, commonLayers, container, indexAnnotations, creationTime,
        outputDirectory, tarball, basedir, registryAccess, layerCache, filesModificationTime, null);
  }

  /** This request with its attestations made by {@code newAttestor}. */
  public BuildRequest withAttestor(Attestor newAttestor) {
    return new BuildRequest(image, tags, format, from, platforms, commonLayers, container, indexAnnotations,
        creationTime, outputDirectory, tarball, basedir, registryAccess, layerCache, filesModificationTime,
        newAttestor);
  }

  /** A request whose files carry the creation time. */
  public BuildRequest(String image, List<String> tags, ImageFormat format, String from,
      List<PlatformRequest> platforms, List<LayerSpec> commonLayers, ContainerSpec container,
      Map<String, String> indexAnnotations, Instant creationTime, Path outputDirectory, boolean tarball,
      Path basedir, RegistryAccess registryAccess, Path layerCache) {
    this(image, tags, format, from, platforms, commonLayers, container, indexAnnotations, creationTime,
        outputDirectory, tarball, basedir, registryAccess, layerCache, null);
  }

  /** A request without a layer cache. */
  public BuildRequest(String image, List<String> tags, ImageFormat format, String from,
      List<PlatformRequest> platforms, List<LayerSpec> commonLayers, ContainerSpec container,
      Map<String, String> indexAnnotations, Instant creationTime, Path outputDirectory, boolean tarball,
      Path basedir, RegistryAccess registryAccess) {
    this(image, tags, format, from, platforms, commonLayers, container, indexAnnotations, creationTime,
        outputDirectory, tarball, basedir, registryAccess, null);
  }

  /** A request without registry access: bases are scratch or local layouts. */
  public BuildRequest(String image, List<String> tags, ImageFormat format, String from,
      List<PlatformRequest> platforms, List<LayerSpec> commonLayers, ContainerSpec container,
      Map<String, String> indexAnnotations, Instant creationTime, Path outputDirectory, boolean tarball,
      Path basedir) {
    this(image, tags, format, from, platforms, commonLayers, container, indexAnnotations, creationTime,
        outputDirectory, tarball, basedir, null, null);
  }

  public BuildRequest {
    tags = List.copyOf(tags);
    platforms = List.copyOf(platforms);
    commonLayers = commonLayers == null ? List.of() : List.copyOf(commonLayers);
    container = container == null ? ContainerSpec.empty() : container;
    indexAnnotations = indexAnnotations == null ? Map.of() : Map.copyOf(indexAnnotations);
    creationTime = creationTime == null ? Instant.EPOCH : creationTime;
    filesModificationTime = filesModificationTime == null ? creationTime : filesModificationTime;
  }
}
