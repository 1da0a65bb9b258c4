package io.github.multiarch.registry;

import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The containers {@code registries.conf} (version 2, containers-registries.conf(5)): its {@code [[registry]]}
 * tables with {@code prefix}, {@code location}, {@code insecure}, {@code blocked}, {@code mirror-by-digest-only}
 * and {@code [[registry.mirror]]} ({@code location}, {@code insecure}, {@code pull-from-mirror}). Short-name
 * settings ({@code unqualified-search-registries}, {@code short-name-mode}, {@code [aliases]}) do not apply to the
 * fully qualified references a build uses, and are passed over with a note. A version 1 file ({@code [registries.insecure]},
 * {@code [registries.block]}) is read as containers/image converts it.
 */
public final class RegistriesConf {
  /** Names the file's own setting in messages. */
  public static final String ENV = "CONTAINERS_REGISTRIES_CONF";
  /** What messages about the file name as at fault (it is not a parameter of a goal). */
  public static final String PARAMETER = "registriesConf";
  private static final Set<String> SHORT_NAME_KEYS = Set.of("unqualified-search-registries", "short-name-mode",
      "aliases");
  private static final Set<String> OTHER_KNOWN_KEYS = Set.of("credential-helpers", "additional-layer-store-auth-helper");
  private static final Set<String> REGISTRY_KEYS = Set.of("prefix", "location", "insecure", "blocked",
      "mirror-by-digest-only", "mirror");
  private static final Set<String> MIRROR_KEYS = Set.of("location", "insecure", "pull-from-mirror");

  private final Path file;
  private final List<RegistryMirrors.Rule> rules;

  private RegistriesConf(Path file, List<RegistryMirrors.Rule> rules) {
    this.file = file;
    this.rules = List.copyOf(rules);
  }

  public Path file() {
    return file;
  }

  List<RegistryMirrors.Rule> rules() {
    return rules;
  }

  /**
   * The file containers/image reads: {@code $CONTAINERS_REGISTRIES_CONF}, else
   * {@code $XDG_CONFIG_HOME/containers/registries.conf} ({@code ~/.config} without XDG_CONFIG_HOME), else
   * {@code /etc/containers/registries.conf}; empty when none of them exists. A path named by the variable must
   * exist. Drop-in directories ({@code registries.conf.d}) are not read.
   */
  public static Optional<Path> locate(Map<String, String> env, Path home, Path etc) {
    String named = env.get(ENV);
    if (named != null && !named.isBlank()) {
      Path path = Path.of(named.trim());
      if (!Files.exists(path) || Files.isDirectory(path)) {
        throw new InvalidInputException(PARAMETER, "the environment variable " + ENV + " names " + path
            + ", which is not a file; point it at a registries.conf (/dev/null for none), or unset it");
      }
      return Optional.of(path);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path user = (xdg != null && !xdg.isBlank() ? Path.of(xdg.trim()) : home.resolve(".config"))
        .resolve("containers/registries.conf");
    if (Files.isRegularFile(user)) {
      return Optional.of(user);
    }
    Path system = etc.resolve("containers/registries.conf");
    return Files.isRegularFile(system) ? Optional.of(system) : Optional.empty();
  }

  /** As {@link #locate(Map, Path, Path)} with {@code /etc}, then read. */
  public static Optional<RegistriesConf> load(Map<String, String> env, Path home, EngineLog log) {
    return locate(env, home, Path.of("/etc")).map(path -> read(path, log));
  }

  /** Reads a registries.conf; malformed content is refused, naming the file and line. */
  public static RegistriesConf read(Path file, EngineLog log) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException(PARAMETER, "cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(file, text, log);
    } catch (TomlSubset.TomlException e) {
      throw new InvalidInputException(PARAMETER, "registries.conf " + e.getMessage(), e);
    }
  }

  static RegistriesConf parse(Path file, String text, EngineLog log) {
    String source = file.toString();
    TomlSubset.Table root = TomlSubset.parse(source, text);
    List<RegistryMirrors.Rule> rules = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    for (Map.Entry<String, TomlSubset.Value> entry : root.entries().entrySet()) {
      String key = entry.getKey();
      int line = entry.getValue().line();
      if (key.equals("registry")) {
        for (TomlSubset.Table table : tables(source, entry.getValue(), "registry")) {
          RegistryMirrors.Rule rule = rule(source, table);
          if (prefixes.add(rule.prefix())) {
            rules.add(rule);
          } else {
            // containers/image keeps the first of equal prefixes (sysregistriesv2 postProcessRegistries)
            log.info("multiarch: " + source + ", line " + table.line() + ": prefix " + rule.prefix()
                + " is configured again; the first one is used, as containers/image does");
          }
        }
      } else if (key.equals("registries")) {
        if (root.entries().containsKey("registry")) {
          throw new TomlSubset.TomlException(source, line, "mixes the version 1 format ([registries.*]) with "
              + "version 2 [[registry]] tables; write it all as version 2 (containers-registries.conf(5))");
        }
        rules.addAll(version1(source, entry.getValue(), log));
      } else if (SHORT_NAME_KEYS.contains(key)) {
        log.debug("multiarch: " + source + ", line " + line + ": " + key + " is ignored: it is for short names, and "
            + "image references in a build name their registry");
      } else if (OTHER_KNOWN_KEYS.contains(key)) {
        log.debug("multiarch: " + source + ", line " + line + ": " + key + " is not used by this plugin");
      } else {
        log.warn("multiarch: " + source + ", line " + line + ": unknown setting '" + key + "' ignored");
      }
    }
    warnOfDropIns(file.resolveSibling("registries.conf.d"), log);
    return new RegistriesConf(file, rules);
  }

  /**
   * Drop-in files are not read (only one registries.conf is); one that configures registries would be missed
   * silently, so it is named. Those with short-name aliases only (Debian's and Fedora's shortnames.conf) are not.
   */
  private static void warnOfDropIns(Path directory, EngineLog log) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (var files = Files.list(directory)) {
      for (Path dropIn : files.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
        try {
          TomlSubset.Table root = TomlSubset.parse(dropIn.toString(), Files.readString(dropIn, StandardCharsets.UTF_8));
          if (root.get("registry") != null || root.get("registries") != null) {
            log.warn("multiarch: " + dropIn + " configures registries, and drop-in files are not read: move its "
                + "[[registry]] tables into " + directory.resolveSibling("registries.conf") + ", or name a file "
                + "with all of them in " + ENV);
          }
        } catch (IOException | TomlSubset.TomlException e) {
          log.debug("multiarch: drop-in " + dropIn + " not read: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      log.debug("multiarch: cannot list " + directory + ": " + e.getMessage());
    }
  }

  /**
   * The version 1 format, as containers/image converts it (sysregistriesv2 {@code ConvertToV2}): each host of
   * {@code [registries.insecure]} and {@code [registries.block]} becomes a registry of its own; the search list is
   * for short names and not used.
   */
  private static List<RegistryMirrors.Rule> version1(String source, TomlSubset.Value value, EngineLog log) {
    if (!(value.value() instanceof TomlSubset.Table registries)) {
      throw new TomlSubset.TomlException(source, value.line(), "[registries] must be a table");
    }
    Set<String> insecure = new LinkedHashSet<>();
    Set<String> blocked = new LinkedHashSet<>();
    for (Map.Entry<String, TomlSubset.Value> entry : registries.entries().entrySet()) {
      if (!(entry.getValue().value() instanceof TomlSubset.Table table)) {
        throw new TomlSubset.TomlException(source, entry.getValue().line(), "registries." + entry.getKey()
            + " must be a table");
      }
      List<String> hosts = new ArrayList<>();
      TomlSubset.Value list = table.get("registries");
      if (list != null && list.value() instanceof List<?> items) {
        for (Object item : items) {
          if (!(item instanceof TomlSubset.Value v && v.value() instanceof String host)) {
            throw new TomlSubset.TomlException(source, list.line(), "registries." + entry.getKey()
                + ".registries must list quoted host names");
          }
          hosts.add(host.strip());
        }
      } else if (list != null) {
        throw new TomlSubset.TomlException(source, list.line(), "registries must be an array of host names");
      }
      switch (entry.getKey()) {
        case "insecure" -> insecure.addAll(hosts);
        case "block" -> blocked.addAll(hosts);
        case "search" -> log.debug("multiarch: " + source + ", line " + entry.getValue().line()
            + ": [registries.search] is ignored: it is for short names, and image references in a build name their "
            + "registry");
        default -> throw new TomlSubset.TomlException(source, entry.getValue().line(), "unknown table [registries."
            + entry.getKey() + "]; version 1 has search, insecure and block");
      }
    }
    Set<String> hosts = new LinkedHashSet<>(insecure);
    hosts.addAll(blocked);
    List<RegistryMirrors.Rule> rules = new ArrayList<>();
    for (String host : hosts) {
      rules.add(new RegistryMirrors.Rule(host, host, insecure.contains(host), blocked.contains(host), false, List.of(),
          source + ", line " + value.line()));
    }
    return rules;
  }

  private static RegistryMirrors.Rule rule(String source, TomlSubset.Table table) {
    String at = source + ", line " + table.line();
    unknownKeys(source, table, REGISTRY_KEYS, "[[registry]]");
    String location = location(source, table, "location", true);
    String prefix = location(source, table, "prefix", true);
    boolean mirrorByDigestOnly = bool(source, table, "mirror-by-digest-only");
    if (prefix.isEmpty()) {
      if (location.isEmpty()) {
        throw new TomlSubset.TomlException(source, table.line(), "a [[registry]] needs a prefix or a location");
      }
      prefix = location;
    } else if (!prefix.startsWith("*.") && location.isEmpty()) {
      throw new TomlSubset.TomlException(source, table.line(), "a [[registry]] with prefix " + prefix + " needs a "
          + "location (only a *.example.com prefix may go without one)");
    }
    if (prefix.startsWith("*.") && !prefix.substring(2).matches("[a-zA-Z0-9.-]+")) {
      throw new TomlSubset.TomlException(source, table.line(), "prefix " + prefix + ": a wildcard prefix is "
          + "*.example.com, without port, path, tag or digest");
    }
    List<RegistryMirrors.Mirror> mirrors = new ArrayList<>();
    TomlSubset.Value mirrorValue = table.get("mirror");
    if (mirrorValue != null) {
      for (TomlSubset.Table mirror : tables(source, mirrorValue, "registry.mirror")) {
        unknownKeys(source, mirror, MIRROR_KEYS, "[[registry.mirror]]");
        String mirrorLocation = location(source, mirror, "location", false);
        RegistryMirrors.PullFrom pullFrom = pullFrom(source, mirror);
        if (mirrorByDigestOnly && mirror.get("pull-from-mirror") != null) {
          throw new TomlSubset.TomlException(source, mirror.get("pull-from-mirror").line(), "pull-from-mirror cannot "
              + "be set on a mirror of a registry with mirror-by-digest-only");
        }
        mirrors.add(new RegistryMirrors.Mirror(mirrorLocation, bool(source, mirror, "insecure"), pullFrom,
            source + ", line " + mirror.line()));
      }
    }
    return new RegistryMirrors.Rule(prefix, location, bool(source, table, "insecure"), bool(source, table, "blocked"),
        mirrorByDigestOnly, mirrors, at);
  }

  private static List<TomlSubset.Table> tables(String source, TomlSubset.Value value, String name) {
    if (value.value() instanceof List<?> list && list.stream().allMatch(t -> t instanceof TomlSubset.Table)) {
      return list.stream().map(t -> (TomlSubset.Table) t).toList();
    }
    throw new TomlSubset.TomlException(source, value.line(), name + " must be written as [[" + name + "]] tables");
  }

  private static void unknownKeys(String source, TomlSubset.Table table, Set<String> known, String what) {
    for (Map.Entry<String, TomlSubset.Value> entry : table.entries().entrySet()) {
      if (!known.contains(entry.getKey())) {
        throw new TomlSubset.TomlException(source, entry.getValue().line(), "unknown key '" + entry.getKey()
            + "' in " + what + "; known: " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  private static String location(String source, TomlSubset.Table table, String key, boolean optional) {
    TomlSubset.Value value = table.get(key);
    if (value == null) {
      if (optional) {
        return "";
      }
      throw new TomlSubset.TomlException(source, table.line(), "the mirror has no location");
    }
    if (!(value.value() instanceof String text)) {
      throw new TomlSubset.TomlException(source, value.line(), key + " must be a quoted string");
    }
    String trimmed = text.strip().replaceAll("/+$", "");
    if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
      throw new TomlSubset.TomlException(source, value.line(), key + " '" + text + "': write host[:port][/path] "
          + "without a scheme (set insecure = true for plain HTTP)");
    }
    if (!trimmed.isEmpty() && !trimmed.startsWith("*.") && !trimmed.matches(
        "(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)(:\\d{1,5})?(/[a-z0-9._/-]+)?")) {
      throw new TomlSubset.TomlException(source, value.line(), key + " '" + text + "' is not host[:port][/path]");
    }
    if (trimmed.isEmpty() && !optional) {
      throw new TomlSubset.TomlException(source, value.line(), "the mirror's location is empty");
    }
    return trimmed;
  }

  private static boolean bool(String source, TomlSubset.Table table, String key) {
    TomlSubset.Value value = table.get(key);
    if (value == null) {
      return false;
    }
    if (!(value.value() instanceof Boolean b)) {
      throw new TomlSubset.TomlException(source, value.line(), key + " must be true or false");
    }
    return b;
  }

  private static RegistryMirrors.PullFrom pullFrom(String source, TomlSubset.Table mirror) {
    TomlSubset.Value value = mirror.get("pull-from-mirror");
    if (value == null) {
      return RegistryMirrors.PullFrom.ALL;
    }
    Object text = value.value();
    if ("all".equals(text) || "".equals(text)) {
      return RegistryMirrors.PullFrom.ALL;
    }
    if ("digest-only".equals(text)) {
      return RegistryMirrors.PullFrom.DIGEST_ONLY;
    }
    if ("tag-only".equals(text)) {
      return RegistryMirrors.PullFrom.TAG_ONLY;
    }
    throw new TomlSubset.TomlException(source, value.line(), "pull-from-mirror is \"all\", \"digest-only\" or "
        + "\"tag-only\", not " + text);
  }
}
