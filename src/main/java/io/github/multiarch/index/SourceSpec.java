package io.github.multiarch.index;

import io.github.multiarch.oci.Platform;
import java.util.Map;

/**
 * One source of {@code create}: a reference, and optionally the platform to record for it (instead of the
 * one its config declares) and annotations for its entry.
 */
public record SourceSpec(String reference, Platform platform, Map<String, String> annotations) {
  public SourceSpec {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static SourceSpec of(String reference) {
    return new SourceSpec(reference, null, Map.of());
  }
}
