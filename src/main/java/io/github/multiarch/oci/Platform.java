package io.github.multiarch.oci;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An OCI platform: {@code os}, {@code architecture}, {@code variant}, {@code os.version} and
 * {@code os.features}. Instances are always normalized the way containerd normalizes them
 * ({@code aarch64} → {@code arm64/v8}, {@code x86_64} → {@code amd64}, {@code armhf} → {@code arm/v7},
 * a bare {@code arm} → {@code arm/v7}), so two instances describing what a runtime would treat as the
 * same platform are {@link #equals equal}. An absent variant or os.version is the empty string.
 */
public final class Platform {
  /** Values of {@code os} that the image spec lists (Go's GOOS). */
  public static final Set<String> OPERATING_SYSTEMS = Set.of("aix", "android", "darwin", "dragonfly", "freebsd",
      "illumos", "ios", "js", "linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows");
  /** Values of {@code architecture} that the image spec lists (Go's GOARCH). */
  public static final Set<String> ARCHITECTURES = Set.of("386", "amd64", "arm", "arm64", "loong64", "mips",
      "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64", "s390x", "wasm");

  private static final Pattern ARM64_VARIANT = Pattern.compile("v8(\\.[1-9])?|v9(\\.[0-5])?");
  private static final Pattern WINDOWS_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(\\.\\d+)?");

  private final String os;
  private final String architecture;
  private final String variant;
  private final String osVersion;
  private final List<String> osFeatures;

  private Platform(String os, String architecture, String variant, String osVersion, List<String> osFeatures) {
    this.os = os;
    this.architecture = architecture;
    this.variant = variant;
    this.osVersion = osVersion;
    this.osFeatures = List.copyOf(osFeatures);
  }

  /**
   * Parses {@code os/architecture[/variant]}, such as {@code linux/arm/v7}, normalizing aliases.
   *
   * @param parameter the parameter the text came from, named in the error when it is not valid
   */
  public static Platform parse(String parameter, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(parameter, "empty platform; expected os/architecture[/variant], e.g. "
          + "linux/amd64, linux/arm64, linux/arm/v7, linux/ppc64le, linux/s390x, windows/amd64");
    }
    String[] parts = text.trim().split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new InvalidInputException(parameter, "malformed platform '" + text
          + "'; expected os/architecture[/variant], e.g. linux/amd64, linux/arm64, linux/arm/v7");
    }
    return of(parameter, parts[0], parts[1], parts.length == 3 ? parts[2] : "", "", List.of(), text);
  }

  /** Builds a platform from its fields, normalizing and validating them. */
  public static Platform of(String parameter, String os, String architecture, String variant, String osVersion,
      List<String> osFeatures) {
    return of(parameter, os, architecture, variant, osVersion, osFeatures,
        os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant));
  }

  private static Platform of(String parameter, String os, String architecture, String variant, String osVersion,
      List<String> osFeatures, String shownAs) {
    String o = lower(os);
    String a = lower(architecture);
    String v = lower(variant);
    if (o.isEmpty() || a.isEmpty()) {
      throw new InvalidInputException(parameter, "platform '" + shownAs + "' needs both an os and an architecture"
          + " (os/architecture[/variant], e.g. linux/arm64)");
    }
    if (!OPERATING_SYSTEMS.contains(o)) {
      throw new InvalidInputException(parameter, "unknown os '" + os + "' in platform '" + shownAs + "'; valid: "
          + String.join(", ", new TreeSet<>(OPERATING_SYSTEMS)));
    }
    // containerd's normalization of architecture aliases and variant spellings
    switch (a) {
      case "i386", "i686", "x86" -> a = "386";
      case "x86_64", "x86-64", "amd64" -> {
        a = "amd64";
        if (v.equals("v1") || v.equals("1")) {
          v = "";
        } else if (v.matches("[2-4]")) {
          v = "v" + v;
        }
      }
      case "aarch64", "arm64" -> {
        a = "arm64";
        if (v.isEmpty() || v.equals("8") || v.equals("v8.0")) {
          v = "v8";
        } else if (v.matches("9(\\.0)?|v9\\.0")) {
          v = "v9";
        }
      }
      case "armhf" -> {
        a = "arm";
        v = v.isEmpty() ? "v7" : v;
      }
      case "armel" -> {
        a = "arm";
        v = v.isEmpty() ? "v6" : v;
      }
      case "arm" -> {
        if (v.isEmpty()) {
          v = "v7";
        } else if (v.matches("[5-8]")) {
          v = "v" + v;
        }
      }
      default -> {
        // no aliases
      }
    }
    if (!ARCHITECTURES.contains(a)) {
      throw new InvalidInputException(parameter, "unknown architecture '" + architecture + "' in platform '"
          + shownAs + "'; valid: " + String.join(", ", new TreeSet<>(ARCHITECTURES))
          + " (aliases: x86_64, aarch64, armhf, armel, i386)");
    }
    String validVariants = switch (a) {
      case "arm" -> v.matches("v[5-8]") ? null : "v5, v6, v7, v8";
      case "arm64" -> ARM64_VARIANT.matcher(v).matches() ? null : "v8 (the default), v8.1 … v8.9, v9 … v9.5";
      case "amd64" -> v.isEmpty() || v.matches("v[2-4]") ? null : "none (v1), v2, v3, v4";
      case "ppc64le" -> v.isEmpty() || v.matches("power(8|9|10)") ? null : "none, power8, power9, power10";
      case "riscv64" -> v.isEmpty() || v.matches("rva2[023]u64") ? null : "none, rva20u64, rva22u64, rva23u64";
      default -> v.isEmpty() ? null : "none";
    };
    if (validVariants != null) {
      throw new InvalidInputException(parameter, "unknown variant '" + variant + "' for " + a + " in platform '"
          + shownAs + "'; valid variants of " + a + ": " + validVariants);
    }
    String version = osVersion == null ? "" : osVersion.trim();
    if (!version.isEmpty() && o.equals("windows") && !WINDOWS_VERSION.matcher(version).matches()) {
      throw new InvalidInputException(parameter, "malformed osVersion '" + osVersion + "' for windows; expected "
          + "a build number such as 10.0.20348.2655 or 10.0.17763.6189");
    }
    List<String> features = osFeatures == null ? List.of()
        : osFeatures.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new Platform(o, a, v, version, features);
  }

  /**
   * Reads a platform as found in image data (an index entry or an image config), normalizing it but
   * without refusing values this code does not know: data in the wild is what it is.
   */
  public static Platform lenient(String os, String architecture, String variant, String osVersion,
      List<String> osFeatures) {
    try {
      return of("platform", os, architecture, variant, osVersion, osFeatures);
    } catch (InvalidInputException e) {
      return new Platform(lower(os), lower(architecture), lower(variant), osVersion == null ? "" : osVersion,
          osFeatures == null ? List.of() : osFeatures);
    }
  }

  private static String lower(String s) {
    return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
  }

  public String os() {
    return os;
  }

  public String architecture() {
    return architecture;
  }

  /** The variant, or the empty string when there is none. */
  public String variant() {
    return variant;
  }

  /** The {@code os.version}, or the empty string. */
  public String osVersion() {
    return osVersion;
  }

  public List<String> osFeatures() {
    return osFeatures;
  }

  public Platform withOsVersion(String version) {
    return of("osVersion", os, architecture, variant, version, osFeatures);
  }

  public Platform withOsFeatures(List<String> features) {
    return new Platform(os, architecture, variant, osVersion, features);
  }

  /** True for {@code unknown/unknown}, the platform BuildKit gives attestation manifests. */
  public boolean isUnknown() {
    return "unknown".equals(os) && "unknown".equals(architecture);
  }

  /**
   * Whether a runtime asking for this platform would take an image built for {@code candidate}: same os
   * and architecture, and a variant this one can run (arm/v7 runs v6 and v5; amd64/v3 runs v2 and v1).
   * Exactness is ranked by {@link #compatibilityRank}.
   */
  public boolean canRun(Platform candidate) {
    return compatibilityRank(candidate) >= 0;
  }

  /**
   * 0 for an exact match, a larger number for an older compatible variant, -1 when {@code candidate} does
   * not run here.
   */
  public int compatibilityRank(Platform candidate) {
    if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
      return -1;
    }
    if (variant.equals(candidate.variant)) {
      return 0;
    }
    int mine = variantLevel(architecture, variant);
    int theirs = variantLevel(architecture, candidate.variant);
    if (mine < 0 || theirs < 0 || theirs > mine) {
      return -1;
    }
    return 1 + mine - theirs;
  }

  /** An ordering of variants within an architecture where a higher level runs every lower one. */
  private static int variantLevel(String architecture, String variant) {
    return switch (architecture) {
      case "arm" -> variant.matches("v[5-8]") ? variant.charAt(1) - '0' : -1;
      case "arm64" -> variant.isEmpty() ? 80 : variant.matches("v\\d(\\.\\d)?")
          ? (variant.charAt(1) - '0') * 10 + (variant.length() > 2 ? variant.charAt(3) - '0' : 0) : -1;
      case "amd64" -> variant.isEmpty() ? 1 : variant.matches("v[1-4]") ? variant.charAt(1) - '0' : -1;
      case "ppc64le" -> variant.isEmpty() ? 8 : variant.matches("power(8|9|10)")
          ? Integer.parseInt(variant.substring(5)) : -1;
      default -> -1;
    };
  }

  /** {@code os/architecture[/variant]}, e.g. {@code linux/arm/v7}. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }

  /**
   * The variant as containerd's canonical format writes it: empty for arm64's default {@code v8}, which
   * {@link #variant()} keeps because the index entry carries it (DESIGN.md: {@code arm64} ≡ {@code arm64/v8}).
   */
  public String canonicalVariant() {
    return architecture.equals("arm64") && variant.equals("v8") ? "" : variant;
  }

  /**
   * {@code os-architecture[-variant]} in containerd's canonical format, e.g. {@code linux-arm-v7},
   * {@code linux-arm64}: the way toolchains and release scripts name per-platform files, safe in tags.
   */
  public String slug() {
    String v = canonicalVariant();
    return os + "-" + architecture + (v.isEmpty() ? "" : "-" + v);
  }

  /** As {@link #toString()}, plus the os.version when there is one. */
  public String describe() {
    return toString() + (osVersion.isEmpty() ? "" : " (os.version " + osVersion + ")");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Platform p && p.os.equals(os) && p.architecture.equals(architecture)
        && p.variant.equals(variant) && p.osVersion.equals(osVersion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(os, architecture, variant, osVersion);
  }
}
