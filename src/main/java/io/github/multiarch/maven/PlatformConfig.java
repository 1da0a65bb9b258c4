package io.github.multiarch.maven;

import java.util.List;
import java.util.Map;

/**
 * A {@code <platform>} of the POM: either text ({@code <platform>linux/arm/v7</platform>}) or an element
 * with {@code os}, {@code architecture}, {@code variant}, {@code osVersion}, {@code osFeatures},
 * {@code annotations}, {@code from} and {@code layers}.
 */
public class PlatformConfig {
  /** The whole platform as text, {@code os/architecture[/variant]}. */
  String platform;

  String os;
  String architecture;
  String variant;
  String osVersion;
  List<String> osFeatures;
  /** Annotations of this platform's entry in the index. */
  Map<String, String> annotations;
  /** The base image of this platform, instead of the build's {@code from}. */
  String from;
  /** Layers only this platform gets. */
  List<LayerConfig> layers;

  public PlatformConfig() {}

  public PlatformConfig(String platform) {
    this.platform = platform;
  }

  /** Lets Maven make a platform from text: {@code <platform>linux/arm64</platform>} and -D lists. */
  public void set(String text) {
    this.platform = text;
  }

  @Override
  public String toString() {
    return platform != null ? platform : os + "/" + architecture + (variant != null ? "/" + variant : "");
  }
}
