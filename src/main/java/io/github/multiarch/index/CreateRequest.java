package io.github.multiarch.index;

import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.ManifestSigner;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An index to assemble from existing images.
 *
 * @param platforms only entries for these platforms are taken from sources that are indexes (empty: all)
 * @param amend when the tag exists, replace the same platforms' entries of its index and keep the others
 * @param allowDuplicates allow two entries for one platform
 * @param signing gives what signs the new index before it is tagged, or null for none (the children keep the
 *     signatures they have); asked once the sources are read and before anything is written, so that a key can be
 *     read meanwhile and a bad one still stops the copy before it starts
 */
public record CreateRequest(ImageName target, List<String> tags, List<SourceSpec> sources, ImageFormat format,
    boolean amend, boolean allowDuplicates, List<Platform> platforms, Map<String, String> annotations,
    Supplier<ManifestSigner> signing) {

  /** An index that is not signed. */
  public CreateRequest(ImageName target, List<String> tags, List<SourceSpec> sources, ImageFormat format,
      boolean amend, boolean allowDuplicates, List<Platform> platforms, Map<String, String> annotations) {
    this(target, tags, sources, format, amend, allowDuplicates, platforms, annotations, null);
  }

  /** The signer {@link #signing} gives, waited for; null for an index that is not signed. */
  public ManifestSigner signer() {
    return signing == null ? null : signing.get();
  }

  public CreateRequest {
    tags = List.copyOf(tags);
    sources = List.copyOf(sources);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }
}
