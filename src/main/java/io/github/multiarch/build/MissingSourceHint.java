package io.github.multiarch.build;

import io.github.multiarch.oci.Platform;
import io.github.multiarch.oci.PlatformPlaceholders;
import io.github.multiarch.oci.PlatformPlaceholders.Placeholder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What to tell a user whose per-platform source does not exist: the files next to the path tried that look
 * like the same file for this platform (so a name such as {@code greet-aarch64} beside the expected
 * {@code greet-linux-arm64} is shown), and the placeholder that would name them. Users copy file names from
 * their release scripts, and each toolchain spells architectures its own way.
 */
final class MissingSourceHint {
  private static final int MOST_SHOWN = 8;
  private static final Set<String> ARCHITECTURE_SPELLINGS = Set.of("arch", "unameMachine", "tripleArch",
      "debianArch", "osDetectedArch");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-zA-Z]+}");

  private MissingSourceHint() {}

  /**
   * The sentences to add to "source … does not exist", starting with "; ", or the empty string when nothing
   * near the path looks like the missing file.
   *
   * @param configured the source as configured, with its placeholders
   */
  static String describe(String configured, Platform platform) {
    StringBuilder hint = new StringBuilder();
    hint.append(nearby(configured, platform));
    List<String> patterns = otherPlaceholders(configured, platform);
    if (!patterns.isEmpty()) {
      hint.append("; ").append(patterns.get(0)).append(" would name it");
    }
    if (PlatformPlaceholders.hasAny(configured)) {
      hint.append("; placeholders: ").append(PlatformPlaceholders.names())
          .append(" (see the placeholder table in docs/build.md)");
    }
    return hint.toString();
  }

  /** The configured source with one placeholder swapped for another, where that names a file that exists. */
  private static List<String> otherPlaceholders(String configured, Platform platform) {
    Set<String> found = new LinkedHashSet<>();
    for (String used : PlatformPlaceholders.used(configured)) {
      for (Placeholder other : PlatformPlaceholders.all()) {
        String candidate = PlatformPlaceholders.rename(configured, used, other.name());
        if (!candidate.equals(configured) && exists(PlatformPlaceholders.expand(candidate, platform, "layers"))) {
          found.add(candidate);
        }
      }
    }
    return List.copyOf(found);
  }

  /**
   * "; found next to it: …" with the entries of the first directory whose name holds a placeholder that fit
   * the configured name around its placeholders: those that spell this platform's architecture, or, when none
   * does, all of them, so the user sees how the files are named. Says so when that directory does not exist.
   */
  private static String nearby(String configured, Platform platform) {
    Path pattern = Path.of(configured);
    int first = -1;
    for (int i = 0; i < pattern.getNameCount(); i++) {
      if (PlatformPlaceholders.hasAny(pattern.getName(i).toString())) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return ""; // a fixed path: nothing to guess
    }
    Path root = pattern.getRoot();
    Path directory = first == 0 ? (root == null ? Path.of("") : root)
        : (root == null ? Path.of("") : root).resolve(pattern.subpath(0, first));
    if (!Files.isDirectory(directory)) {
      return "; the directory " + directory + " does not exist either";
    }
    Pattern fits = fitting(pattern.getName(first).toString());
    String rest = first + 1 < pattern.getNameCount()
        ? PlatformPlaceholders.expand(pattern.subpath(first + 1, pattern.getNameCount()).toString(), platform,
            "layers") : null;
    List<String> forThisPlatform = new ArrayList<>();
    List<String> others = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        Path candidate = rest == null ? entry : entry.resolve(rest);
        if (!fits.matcher(name).matches() || !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String shown = rest == null ? name : name + "/" + rest;
        (spellsArchitecture(name, platform) ? forThisPlatform : others).add(shown);
      }
    } catch (IOException e) {
      return "";
    }
    List<String> shown = forThisPlatform.isEmpty() ? others : forThisPlatform;
    if (shown.isEmpty()) {
      return "";
    }
    return "; found next to it: " + String.join(", ", shown.subList(0, Math.min(shown.size(), MOST_SHOWN)))
        + (shown.size() > MOST_SHOWN ? " and " + (shown.size() - MOST_SHOWN) + " more" : "");
  }

  /** A name pattern where each placeholder stands for any non-empty text and the rest is literal. */
  private static Pattern fitting(String segment) {
    Matcher m = PLACEHOLDER.matcher(segment);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(segment.substring(last, m.start()))).append(".+");
      last = m.end();
    }
    regex.append(Pattern.quote(segment.substring(last)));
    return Pattern.compile(regex.toString());
  }

  /** Whether {@code name} holds one of the platform's architecture spellings as a word of its own. */
  private static boolean spellsArchitecture(String name, Platform platform) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Placeholder p : PlatformPlaceholders.all()) {
      if (!ARCHITECTURE_SPELLINGS.contains(p.name())) {
        continue;
      }
      String spelling = p.spelling().apply(platform).toLowerCase(Locale.ROOT);
      if (Pattern.compile("(^|[-_./])" + Pattern.quote(spelling) + "($|[-_./])").matcher(lower).find()) {
        return true;
      }
    }
    return false;
  }

  private static boolean exists(String path) {
    return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
  }
}
