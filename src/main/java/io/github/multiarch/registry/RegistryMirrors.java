package io.github.multiarch.registry;

import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where images are read from: the mirrors of the build's configuration ({@code registryMirrors}) and of the
 * containers {@code registries.conf}, then the registry the reference names, unless the configuration blocks it.
 * Only reads go through here; pushes always go to the registry named.
 *
 * <p>Prefixes are matched the way containers/image does (pkg/sysregistriesv2, {@code refMatchingPrefix} and
 * {@code FindRegistry}): against {@code registry/repository}, with Docker Hub spelled {@code docker.io}; a prefix
 * matches when the name equals it or goes on with {@code /}, {@code :} or {@code @}; {@code *.example.com} matches
 * the hosts under example.com; the longest matching prefix wins, and of equal prefixes the first written. A mirror
 * (and a {@code location}) replaces the matched prefix, so {@code docker.io → nexus.corp/dockerhub} reads
 * {@code docker.io/library/x} as {@code nexus.corp/dockerhub/library/x}.
 */
public final class RegistryMirrors {
  /** Docker Hub as the containers configuration spells it, and as its API is contacted. */
  static final String DOCKER_HUB = "docker.io";
  static final String DOCKER_HUB_API = "registry-1.docker.io";

  /** Which pulls may use a mirror: {@code all}, {@code digest-only} or {@code tag-only} (registries.conf). */
  enum PullFrom { ALL, DIGEST_ONLY, TAG_ONLY }

  /** A mirror: {@code host[:port][/path]}. */
  record Mirror(String location, boolean insecure, PullFrom pullFrom, String configuredBy) {}

  /**
   * A {@code [[registry]]} of registries.conf, or an entry of {@code registryMirrors} (whose prefix is a registry).
   *
   * @param location where the prefix is read from instead of itself (empty: the prefix itself)
   */
  record Rule(String prefix, String location, boolean insecure, boolean blocked, boolean mirrorByDigestOnly,
      List<Mirror> mirrors, String configuredBy) {
    Rule {
      mirrors = List.copyOf(mirrors);
    }
  }

  private final List<Rule> pomRules;
  private final Supplier<Optional<RegistriesConf>> registriesConf;
  private List<Rule> confRules;

  private RegistryMirrors(List<Rule> pomRules, Supplier<Optional<RegistriesConf>> registriesConf) {
    this.pomRules = List.copyOf(pomRules);
    this.registriesConf = registriesConf;
  }

  /** No mirrors and nothing blocked: every image is read from the registry it names. */
  public static RegistryMirrors none() {
    return new RegistryMirrors(List.of(), Optional::empty);
  }

  /** As {@link #of(Map, String, Supplier)} with a registries.conf already read (or null). */
  public static RegistryMirrors of(Map<String, List<String>> mirrors, String parameter, RegistriesConf registriesConf) {
    return of(mirrors, parameter, () -> Optional.ofNullable(registriesConf));
  }

  /**
   * The build's mirrors, tried before those of {@code registriesConf}, which is read when an image is first looked
   * up (a build without registry images never reads it).
   *
   * @param mirrors registry ({@code docker.io}, {@code host:port}) → its mirrors in order ({@code host[:port][/path]})
   * @param parameter the parameter they came from, named when one is malformed
   */
  public static RegistryMirrors of(Map<String, List<String>> mirrors, String parameter,
      Supplier<Optional<RegistriesConf>> registriesConf) {
    List<Rule> pom = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : mirrors == null ? Map.<String, List<String>>of().entrySet()
        : mirrors.entrySet()) {
      String registry = checkedLocation(parameter, entry.getKey(), "registry", false);
      if (entry.getValue() == null || entry.getValue().isEmpty()) {
        throw new InvalidInputException(parameter, "registry " + registry + " has no mirrors; list at least one "
            + "host[:port], e.g. <mirrors><mirror>mirror.example.com:5000</mirror></mirrors>");
      }
      List<Mirror> list = new ArrayList<>();
      for (String mirror : entry.getValue()) {
        list.add(new Mirror(checkedLocation(parameter, mirror, "mirror of " + registry, true), false, PullFrom.ALL,
            parameter));
      }
      pom.add(new Rule(hubSpelling(registry), "", false, false, false, list, parameter));
    }
    return new RegistryMirrors(pom, registriesConf);
  }

  private synchronized List<Rule> confRules() {
    if (confRules == null) {
      confRules = registriesConf.get().map(RegistriesConf::rules).orElse(List.of());
    }
    return confRules;
  }

  private static String checkedLocation(String parameter, String text, String what, boolean pathAllowed) {
    String value = text == null ? "" : text.trim().replaceAll("/+$", "");
    String host = value.contains("/") && pathAllowed ? value.substring(0, value.indexOf('/')) : value;
    if (!host.matches("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)(:\\d{1,5})?")
        || value.contains("://") || value.contains("@")) {
      throw new InvalidInputException(parameter, "'" + text + "' is not a valid " + what + "; write host or host:port"
          + (pathAllowed ? " (optionally followed by /path, for a mirror that keeps the images under a path)" : "")
          + ", without a scheme, e.g. mirror.example.com:5000");
    }
    return value;
  }


  /** Hosts to reach over plain HTTP or unverified TLS: registries.conf's {@code insecure} registries and mirrors. */
  public Set<String> insecureHosts() {
    Set<String> hosts = new LinkedHashSet<>();
    for (Rule rule : confRules()) {
      if (rule.insecure() && !rule.location().isEmpty()) {
        hosts.add(apiHost(hostOf(rule.location())));
      }
      for (Mirror mirror : rule.mirrors()) {
        if (mirror.insecure()) {
          hosts.add(apiHost(hostOf(mirror.location())));
        }
      }
    }
    return hosts;
  }

  /**
   * Where to read {@code name} from, in order: the build's mirrors of its registry, the registries.conf mirrors its
   * reference may use (a tag pull skips {@code mirror-by-digest-only} and {@code digest-only} mirrors, a digest
   * pull {@code tag-only} ones), then its registry (or the registries.conf {@code location} for it). A source on a
   * blocked registry is left out; when that leaves nothing, the image is refused, naming where it was blocked.
   */
  public List<PullSource> sourcesFor(ImageName name) {
    String reference = hubSpelling(name.registry()) + "/" + name.repository();
    boolean byDigest = name.digest() != null;
    Map<String, PullSource> sources = new LinkedHashMap<>();
    for (Rule rule : pomRules) {
      if (rule.prefix().equals(hubSpelling(name.registry()))) {
        for (Mirror mirror : rule.mirrors()) {
          add(sources, rewrite(reference, rule.prefix(), mirror.location(), true, mirror.configuredBy()));
        }
      }
    }
    Rule rule = find(reference);
    PullSource origin = new PullSource(name.registry(), name.repository(), false, null);
    if (rule != null) {
      for (Mirror mirror : rule.mirrors()) {
        boolean allowed = rule.mirrorByDigestOnly() ? byDigest : switch (mirror.pullFrom()) {
          case ALL -> true;
          case DIGEST_ONLY -> byDigest;
          case TAG_ONLY -> !byDigest;
        };
        if (allowed) {
          add(sources, rewrite(reference, rule.prefix(), mirror.location(), true, mirror.configuredBy()));
        }
      }
      origin = rule.location().isEmpty() ? new PullSource(name.registry(), name.repository(), false,
          rule.configuredBy()) : rewrite(reference, rule.prefix(), rule.location(), false, rule.configuredBy());
    }
    String blockedBy = rule != null && rule.blocked() ? rule.configuredBy() : blockedBy(origin.registry());
    if (blockedBy == null) {
      add(sources, origin);
    }
    sources.values().removeIf(s -> s.mirror() && blockedBy(s.registry()) != null);
    if (sources.isEmpty()) {
      throw new MultiarchException("cannot read " + name + ": its registry " + origin.registry() + " is blocked ("
          + blockedBy + ") and no mirror is configured for it");
    }
    return List.copyOf(sources.values());
  }

  /** Where reading {@code name}'s registry itself is blocked (a file and line), or null when it is not. */
  public String originBlockedBy(ImageName name) {
    Rule rule = find(hubSpelling(name.registry()) + "/" + name.repository());
    if (rule != null && rule.blocked()) {
      return rule.configuredBy();
    }
    return blockedBy(rule != null && !rule.location().isEmpty() ? apiHost(hostOf(rule.location())) : name.registry());
  }

  private String blockedBy(String host) {
    Rule rule = find(hubSpelling(host));
    return rule != null && rule.blocked() ? rule.configuredBy() : null;
  }

  private static void add(Map<String, PullSource> sources, PullSource source) {
    sources.putIfAbsent(source.describe(), source);
  }

  /** The registries.conf rule with the longest prefix matching {@code reference}, the first of equal ones. */
  Rule find(String reference) {
    Rule best = null;
    for (Rule rule : confRules()) {
      if (matchLength(reference, rule.prefix()) >= 0 && (best == null || rule.prefix().length() > best.prefix().length())) {
        best = rule;
      }
    }
    return best;
  }

  /** How much of {@code reference} the prefix matches, or -1 (containers/image's refMatchingPrefix). */
  static int matchLength(String reference, String prefix) {
    if (prefix.startsWith("*.")) {
      String domain = prefix.substring(1);
      int at = reference.indexOf(domain);
      if (at < 0 || reference.substring(0, at).contains("/")) {
        return -1;
      }
      int end = at + domain.length();
      return end == reference.length() || "/:@".indexOf(reference.charAt(end)) >= 0 ? end : -1;
    }
    if (!reference.startsWith(prefix)) {
      return -1;
    }
    if (reference.length() == prefix.length()) {
      return prefix.length();
    }
    return "/:@".indexOf(reference.charAt(prefix.length())) >= 0 ? prefix.length() : -1;
  }

  /** {@code reference} read at {@code location}: the matched prefix replaced by it. */
  private static PullSource rewrite(String reference, String prefix, String location, boolean mirror,
      String configuredBy) {
    int matched = matchLength(reference, prefix);
    String rewritten = location.isEmpty() ? reference : location + reference.substring(matched);
    int slash = rewritten.indexOf('/');
    if (slash < 0) {
      throw new MultiarchException("'" + location + "' (" + configuredBy + ") turns " + reference + " into "
          + rewritten + ", which names no repository");
    }
    String repository = rewritten.substring(slash + 1);
    String host = apiHost(rewritten.substring(0, slash));
    if (host.equals(DOCKER_HUB_API) && !repository.contains("/")) {
      repository = "library/" + repository; // Docker Hub's official images, as a reference without namespace means
    }
    return new PullSource(host, repository, mirror, configuredBy);
  }

  static String hostOf(String location) {
    int slash = location.indexOf('/');
    return slash < 0 ? location : location.substring(0, slash);
  }

  /** Docker Hub's host as the containers configuration writes it. */
  static String hubSpelling(String host) {
    return host.equals(DOCKER_HUB_API) || host.equals("index.docker.io") ? DOCKER_HUB : host;
  }

  /** The host to contact: Docker Hub's API host for its other names. */
  static String apiHost(String host) {
    return host.equals(DOCKER_HUB) || host.equals("index.docker.io") ? DOCKER_HUB_API : host;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Rule rule : pomRules) {
      parts.add(rule.prefix() + " → " + rule.mirrors().stream().map(Mirror::location).toList() + " (" + rule.configuredBy()
          + ")");
    }
    for (Rule rule : confRules()) {
      parts.add(rule.prefix() + (rule.location().isEmpty() || rule.location().equals(rule.prefix()) ? ""
          : " at " + rule.location()) + (rule.mirrors().isEmpty() ? "" : " → " + rule.mirrors().stream()
          .map(Mirror::location).toList()) + (rule.blocked() ? " blocked" : "") + (rule.insecure() ? " insecure" : "")
          + (rule.mirrorByDigestOnly() ? " mirror-by-digest-only" : "") + " (" + rule.configuredBy() + ")");
    }
    return parts.isEmpty() ? "no mirrors" : String.join("; ", parts);
  }
}
