package io.github.multiarch.maven;

import java.util.Map;

/**
 * A {@code <source>} of {@code create}: text ({@code <source>registry.example.com/app:1.0-arm64</source>}) or an
 * element with {@code ref}, an optional {@code platform} that overrides the one read from the image config,
 * and {@code annotations} for its entry.
 */
public class SourceConfig {
  String ref;
  String platform;
  Map<String, String> annotations;

  /** An element form, filled field by field from the POM. */
  public SourceConfig() {}

  /**
   * The text form.
   *
   * @param ref a registry reference, {@code oci-layout:PATH[:TAG]} or {@code oci-archive:PATH[:TAG]}
   */
  public SourceConfig(String ref) {
    this.ref = ref;
  }

  /**
   * Lets Maven make a source from text, in the POM and in {@code -Dmultiarch.sources=a,b}.
   *
   * @param text a registry reference, {@code oci-layout:PATH[:TAG]} or {@code oci-archive:PATH[:TAG]}
   */
  public void set(String text) {
    this.ref = text;
  }
}
