package io.github.multiarch.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a platform goes by in file names and tags, as {@code {placeholder}}s: one line of configuration
 * ({@code bin/greet-{platform}}) names the file each platform's toolchain already produced
 * ({@code bin/greet-linux-arm64}, {@code bin/greet-linux-arm-v7}).
 *
 * <p>Every spelling that contains a variant follows containerd's canonical format
 * ({@code platforms.Format(platforms.Normalize(p))}): the default variant of arm64, {@code v8}, is not written,
 * so {@code linux/arm64} and {@code linux/arm64/v8} (the same platform) both give {@code linux-arm64}, as Go's
 * {@code GOOS-GOARCH}, buildx's {@code TARGETPLATFORM} and release scripts name their files. The index entry
 * still says {@code variant: v8} (see {@link Platform}). The other spellings are the ones toolchains print:
 * {@code uname -m}, the architecture field of Rust's target triple, Go's {@code GOARCH}/{@code GOARM},
 * Debian's architecture and os-maven-plugin's {@code os.detected.*} classifier.
 */
public final class PlatformPlaceholders {
  /** One placeholder: its name and what it means, as the docs and error messages show it. */
  public record Placeholder(String name, String meaning, Function<Platform, String> spelling) {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

  private static final List<Placeholder> ALL = List.of(
      new Placeholder("platform", "os-architecture[-variant], arm64's default v8 not written (linux-arm64)",
          Platform::slug),
      new Placeholder("os", "the os (linux, windows)", Platform::os),
      new Placeholder("arch", "the OCI architecture (amd64, arm64, arm)", Platform::architecture),
      new Placeholder("variant", "the variant, empty for arm64's default v8 and where there is none (v7)",
          Platform::canonicalVariant),
      new Placeholder("goos", "Go's GOOS (linux, windows)", Platform::os),
      new Placeholder("goarch", "Go's GOARCH (amd64, arm64, arm)", Platform::architecture),
      new Placeholder("goarm", "Go's GOARM for arm (7), empty elsewhere", PlatformPlaceholders::goarm),
      new Placeholder("unameMachine", "what uname -m prints there (x86_64, aarch64, armv7l)",
          PlatformPlaceholders::unameMachine),
      new Placeholder("tripleArch", "the architecture of the Rust target triple (x86_64, aarch64, armv7, "
          + "powerpc64le)", PlatformPlaceholders::tripleArch),
      new Placeholder("debianArch", "Debian's architecture (amd64, arm64, armhf, ppc64el)",
          PlatformPlaceholders::debianArch),
      new Placeholder("osDetectedArch", "os-maven-plugin's os.detected.arch (x86_64, aarch_64, arm_32)",
          PlatformPlaceholders::osDetectedArch),
      new Placeholder("osDetectedClassifier", "os-maven-plugin's os.detected.classifier (linux-x86_64, "
          + "linux-aarch_64)", p -> p.os() + "-" + osDetectedArch(p)),
      new Placeholder("exeSuffix", ".exe on windows, empty elsewhere",
          p -> p.os().equals("windows") ? ".exe" : ""));

  private static final Map<String, Placeholder> BY_NAME = new LinkedHashMap<>();

  static {
    for (Placeholder p : ALL) {
      BY_NAME.put(p.name(), p);
    }
  }

  private PlatformPlaceholders() {}

  /** Every placeholder, in the order the docs list them. */
  public static List<Placeholder> all() {
    return ALL;
  }

  /** {@code {platform}, {os}, …}, for messages that list the valid placeholders. */
  public static String names() {
    return String.join(", ", ALL.stream().map(p -> "{" + p.name() + "}").toList());
  }

  public static boolean hasAny(String text) {
    return PLACEHOLDER.matcher(text).find();
  }

  /** The placeholders used in {@code text}, in order, each once. */
  public static List<String> used(String text) {
    return PLACEHOLDER.matcher(text).results().map(m -> m.group(1)).distinct().toList();
  }

  /**
   * Replaces each placeholder in {@code text} with the platform's spelling of it.
   *
   * @param extra further placeholders with fixed values (push's {@code {tag}}), checked before the platform's
   * @param parameter the parameter {@code text} came from, named when it holds an unknown placeholder
   */
  public static String expand(String text, Platform platform, Map<String, String> extra, String parameter) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = extra.get(name);
      if (value == null) {
        Placeholder placeholder = BY_NAME.get(name);
        if (placeholder == null) {
          String valid = (extra.isEmpty() ? "" : String.join(", ", extra.keySet().stream().map(k -> "{" + k + "}")
              .toList()) + ", ") + names();
          throw new InvalidInputException(parameter, "unknown placeholder {" + name + "} in '" + text
              + "'; valid: " + valid + " (placeholders are case-sensitive)");
        }
        value = placeholder.spelling().apply(platform);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static String expand(String text, Platform platform, String parameter) {
    return expand(text, platform, Map.of(), parameter);
  }

  /** {@code text} with every occurrence of placeholder {@code from} written as {@code {to}}. */
  public static String rename(String text, String from, String to) {
    return text.replace("{" + from + "}", "{" + to + "}");
  }

  /** The arm level as a digit (v7 → 7). */
  private static int armLevel(Platform p) {
    return p.variant().matches("v[5-8]") ? p.variant().charAt(1) - '0' : 7;
  }

  /** arm/v8 in 32-bit mode runs GOARM=7 code, the highest level Go knows. */
  private static String goarm(Platform p) {
    return p.architecture().equals("arm") ? String.valueOf(Math.min(armLevel(p), 7)) : "";
  }

  private static String unameMachine(Platform p) {
    return switch (p.architecture()) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      case "arm" -> switch (armLevel(p)) {
        case 5 -> "armv5tel";
        case 6 -> "armv6l";
        case 8 -> "armv8l";
        default -> "armv7l";
      };
      case "386" -> "i686";
      case "loong64" -> "loongarch64";
      case "mips64le" -> "mips64";
      case "mipsle" -> "mips";
      default -> p.architecture(); // ppc64le, s390x, riscv64, ppc64, mips64, mips: the same word
    };
  }

  private static String tripleArch(Platform p) {
    return switch (p.architecture()) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      case "arm" -> switch (armLevel(p)) {
        case 5 -> "armv5te";
        case 6 -> "arm"; // arm-unknown-linux-gnueabihf is Rust's ARMv6 target
        default -> "armv7"; // v7, and v8 in 32-bit mode, which runs armv7 code
      };
      case "386" -> "i686";
      case "ppc64le" -> "powerpc64le";
      case "ppc64" -> "powerpc64";
      case "riscv64" -> "riscv64gc";
      case "loong64" -> "loongarch64";
      case "mipsle" -> "mipsel";
      case "mips64le" -> "mips64el";
      default -> p.architecture(); // s390x, mips, mips64
    };
  }

  private static String debianArch(Platform p) {
    return switch (p.architecture()) {
      case "arm" -> armLevel(p) >= 7 ? "armhf" : "armel";
      case "386" -> "i386";
      case "ppc64le" -> "ppc64el";
      case "mipsle" -> "mipsel";
      case "mips64le" -> "mips64el";
      default -> p.architecture(); // amd64, arm64, s390x, riscv64, ppc64, loong64
    };
  }

  /** os-maven-plugin's normalized architecture names (its {@code Detector.normalizeArch}). */
  private static String osDetectedArch(Platform p) {
    return switch (p.architecture()) {
      case "amd64" -> "x86_64";
      case "386" -> "x86_32";
      case "arm64" -> "aarch_64";
      case "arm" -> "arm_32";
      case "ppc64le" -> "ppcle_64";
      case "ppc64" -> "ppc_64";
      case "s390x" -> "s390_64";
      case "riscv64" -> "riscv64";
      case "loong64" -> "loongarch_64";
      case "mipsle" -> "mipsel_32";
      case "mips" -> "mips_32";
      case "mips64le" -> "mipsel_64";
      case "mips64" -> "mips_64";
      default -> p.architecture();
    };
  }
}
