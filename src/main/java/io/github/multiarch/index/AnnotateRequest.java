package io.github.multiarch.index;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.Platform;
import java.util.List;
import java.util.Map;

/**
 * Changes to an existing index. Entries are selected by platform or digest (no selection: every entry for
 * annotation changes; platform changes and removal need a selection).
 *
 * @param os new {@code os} of the selected entries, or null to keep it (likewise architecture, variant,
 *     osVersion, osFeatures)
 * @param force allow a platform that contradicts the entry's image config
 */
public record AnnotateRequest(List<Platform> selectPlatforms, List<Digest> selectDigests, String os,
    String architecture, String variant, String osVersion, List<String> osFeatures,
    Map<String, String> addAnnotations, List<String> removeAnnotations, Map<String, String> addIndexAnnotations,
    List<String> removeIndexAnnotations, boolean removeEntries, boolean force) {

  public AnnotateRequest {
    selectPlatforms = selectPlatforms == null ? List.of() : List.copyOf(selectPlatforms);
    selectDigests = selectDigests == null ? List.of() : List.copyOf(selectDigests);
    addAnnotations = addAnnotations == null ? Map.of() : Map.copyOf(addAnnotations);
    removeAnnotations = removeAnnotations == null ? List.of() : List.copyOf(removeAnnotations);
    addIndexAnnotations = addIndexAnnotations == null ? Map.of() : Map.copyOf(addIndexAnnotations);
    removeIndexAnnotations = removeIndexAnnotations == null ? List.of() : List.copyOf(removeIndexAnnotations);
  }

  boolean changesPlatform() {
    return os != null || architecture != null || variant != null || osVersion != null || osFeatures != null;
  }

  boolean hasSelection() {
    return !selectPlatforms.isEmpty() || !selectDigests.isEmpty();
  }
}
