package io.github.multiarch.registry;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to push where.
 *
 * @param layout the OCI layout directory
 * @param layoutTag which of the layout's tags to push, or null for its first
 * @param target registry and repository to push to
 * @param tags tags to give the index (or single image)
 * @param platformTagPattern per-platform tags such as {@code {tag}-{platform}}, or null for none
 * @param mountSources repositories of the same registry that already hold a blob, to mount it from
 * @param parallelUploads how many blobs upload at once
 * @param signer signs the index and every child before the tags are written, or null to sign nothing
 * @param allowNondistributable registries ({@code host[:port]}) that non-distributable (foreign) layers are
 *     pushed to as well; to any other they are only referred to (Docker's {@code allow-nondistributable-artifacts})
 */
public record PushRequest(Path layout, String layoutTag, ImageName target, List<String> tags,
    String platformTagPattern, Map<Digest, String> mountSources, int parallelUploads, ManifestSigner signer,
    List<String> allowNondistributable) {

  /** A push that refers to foreign layers without pushing them. */
  public PushRequest(Path layout, String layoutTag, ImageName target, List<String> tags, String platformTagPattern,
      Map<Digest, String> mountSources, int parallelUploads, ManifestSigner signer) {
    this(layout, layoutTag, target, tags, platformTagPattern, mountSources, parallelUploads, signer, List.of());
  }

  /** A push that signs nothing. */
  public PushRequest(Path layout, String layoutTag, ImageName target, List<String> tags, String platformTagPattern,
      Map<Digest, String> mountSources, int parallelUploads) {
    this(layout, layoutTag, target, tags, platformTagPattern, mountSources, parallelUploads, null);
  }

  public PushRequest {
    tags = List.copyOf(tags);
    mountSources = mountSources == null ? Map.of() : Map.copyOf(mountSources);
    parallelUploads = Math.max(1, parallelUploads);
    allowNondistributable = allowNondistributable == null ? List.of() : List.copyOf(allowNondistributable);
  }

  /** Whether foreign layers go to the target's registry too. */
  public boolean pushesNondistributable() {
    return allowNondistributable.contains(target.registry());
  }
}
