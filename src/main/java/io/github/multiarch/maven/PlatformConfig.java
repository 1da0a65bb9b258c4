package io.github.multiarch.maven;

import java.util.List;
import java.util.Map;

/**
 * A {@code <platform>} of the POM: either text ({@code <platform>linux/arm/v7</platform>}) or an element
 * with {@code os}, {@code architecture}, {@code variant}, {@code osVersion}, {@code osVersions}, {@code osFeatures},
 * {@code annotations}, {@code from}, {@code layers}, {@code entrypoint} and {@code cmd}.
 */
public class PlatformConfig {
  /** The whole platform as text, {@code os/architecture[/variant]}. */
  String platform;

  String os;
  String architecture;
  String variant;
  String osVersion;
  List<String> osFeatures;
  /**
   * For {@code windows/…} without {@code osVersion}: the os.versions of the base to build for, each a build
   * ({@code 10.0.20348}) or a full version; unset builds one image for every os.version the base offers.
   */
  List<String> osVersions;
  /** Annotations of this platform's entry in the index. */
  Map<String, String> annotations;
  /** The base image of this platform, instead of the build's {@code from}. */
  String from;
  /** Layers only this platform gets. */
  List<LayerConfig> layers;
  /** This platform's entrypoint instead of {@code <container><entrypoint>}, e.g. a Windows program's. */
  List<String> entrypoint;
  /** This platform's cmd instead of {@code <container><cmd>}. */
  List<String> cmd;

  /** An element form, filled field by field from the POM. */
  public PlatformConfig() {}

  /**
   * The text form.
   *
   * @param platform {@code os/architecture[/variant]}
   */
  public PlatformConfig(String platform) {
    this.platform = platform;
  }

  /**
   * Lets Maven make a platform from text: {@code <platform>linux/arm64</platform>} and -D lists.
   *
   * @param text {@code os/architecture[/variant]}
   */
  public void set(String text) {
    this.platform = text;
  }

  /**
   * The platform this element describes, the one way every goal reads it: text, or {@code <os>} and
   * {@code <architecture>} (not both), with {@code osVersion} and {@code osFeatures} in either form.
   *
   * @param parameter the parameter named in errors
   */
  io.github.multiarch.oci.Platform toPlatform(String parameter) {
    if (platform != null && !platform.isBlank()) {
      if (os != null || architecture != null) {
        throw new io.github.multiarch.oci.InvalidInputException(parameter, "platform '" + platform + "' gives both "
            + "text and <os>/<architecture>; use one of them");
      }
      io.github.multiarch.oci.Platform parsed = io.github.multiarch.oci.Platform.parse(parameter, platform);
      if (osVersion == null && osFeatures == null) {
        return parsed;
      }
      return io.github.multiarch.oci.Platform.of(parameter, parsed.os(), parsed.architecture(), parsed.variant(),
          osVersion, osFeatures);
    }
    if (os == null || architecture == null) {
      throw new io.github.multiarch.oci.InvalidInputException(parameter, "a <platform> element needs <os> and "
          + "<architecture> (or text such as linux/arm64)");
    }
    return io.github.multiarch.oci.Platform.of(parameter, os, architecture, variant, osVersion, osFeatures);
  }

  @Override
  public String toString() {
    return platform != null ? platform : os + "/" + architecture + (variant != null ? "/" + variant : "");
  }
}
