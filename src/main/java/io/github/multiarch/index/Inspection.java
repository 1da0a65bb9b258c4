package io.github.multiarch.index;

import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Platform;
import java.util.List;
import java.util.Map;

/**
 * What an image reference holds.
 *
 * @param top the index or image the reference names (digest of its exact bytes)
 * @param index whether it is an index / manifest list
 * @param entries for an index, its entries; for a single image, one entry with the config's platform
 * @param families the media-type families met ("OCI", "Docker"); more than one means a mixed index
 * @param referrers what refers to the top index itself (for a single image: the same as its entry's)
 */
public record Inspection(String reference, Descriptor top, boolean index, Map<String, String> annotations,
    List<Entry> entries, List<String> families, List<Descriptor> referrers) {

  /**
   * One image.
   *
   * @param kind "image", "attestation" (BuildKit's unknown/unknown entries), or the media type's kind
   * @param referrers what refers to this image (OCI 1.1 referrers: SBOMs, provenance, signature bundles)
   */
  public record Entry(Platform platform, String mediaType, Descriptor descriptor, Map<String, String> annotations,
      String kind, List<Descriptor> referrers) {
    public Entry {
      referrers = List.copyOf(referrers);
    }
  }

  public boolean mixed() {
    return families.size() > 1;
  }
}
