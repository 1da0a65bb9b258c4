package io.github.multiarch.maven;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.credentials.CredentialSource;
import io.github.multiarch.credentials.Credentials;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.Credential;
import io.github.multiarch.registry.RegistriesConf;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import io.github.multiarch.registry.RegistryOptions;
import io.github.multiarch.registry.UploadListener;
import io.github.multiarch.registry.UploadProgress;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The parameters of goals that talk to registries: TLS and plain-HTTP opt-ins, and where credentials come
 * from. There is deliberately no password parameter: Maven prints every mojo parameter and every
 * {@code -D} property with {@code -X}, so a password given that way would reach the log.
 */
public abstract class AbstractRegistryMojo extends AbstractMultiarchMojo {
  /** Hosts ({@code host} or {@code host:port}) that may be reached over plain HTTP or unverified TLS. */
  @Parameter(property = "multiarch.insecureRegistries")
  List<String> insecureRegistries;

  /** PEM files of certificate authorities to trust besides the JDK's, for registries with a private CA. */
  @Parameter(property = "multiarch.caCertificates")
  List<File> caCertificates;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;


  @Component
  SettingsDecrypter settingsDecrypter;

  /** The environment credentials are looked up in; the process's unless a test sets another. */
  Map<String, String> environment;

  /** Where images are read from; set by {@link #readMirrors} on the goals that read through mirrors. */
  private RegistryMirrors mirrors = RegistryMirrors.none();

  /** The clients this execution made, closed when it ends (see {@link RegistryClient#close()}). */
  private final List<RegistryClient> clients = new CopyOnWriteArrayList<>();

  RegistryOptions registryOptions() {
    if (session != null && session.getSettings() != null && session.getSettings().getActiveProxy() != null
        && session.getSettings().getActiveProxy().getUsername() != null) {
      getLog().warn("multiarch: the settings.xml proxy '" + session.getSettings().getActiveProxy().getId()
          + "' has a user name; proxy authentication is not supported by this plugin, so requests go through it"
          + " without credentials");
    }
    Set<String> insecure = new LinkedHashSet<>(insecureRegistries == null ? List.of() : insecureRegistries);
    insecure.addAll(mirrors.insecureHosts()); // registries.conf's insecure = true, for that host
    return RegistryOptions.defaults()
        .withInsecureRegistries(insecure)
        .withCaCertificates(caCertificates == null ? null : caCertificates.stream().map(File::toPath).toList())
        .withProxy(session == null ? null : SettingsProxies.of(session.getSettings()));
  }

  /**
   * The mirrors to read images through: the POM's {@code registryMirrors} first, then those of the containers
   * registries.conf ({@code CONTAINERS_REGISTRIES_CONF}, {@code $XDG_CONFIG_HOME/containers/registries.conf},
   * {@code /etc/containers/registries.conf}). Kept for {@link #registryOptions()}, which adds the hosts
   * registries.conf marks insecure.
   */
  RegistryMirrors readMirrors(List<RegistryMirror> configured) {
    Map<String, List<String>> pom = new LinkedHashMap<>();
    for (RegistryMirror mirror : configured == null ? List.<RegistryMirror>of() : configured) {
      if (mirror == null || mirror.registry == null || mirror.registry.isBlank()) {
        throw new InvalidInputException("registryMirrors", "a <mirror> has no <registry>; write <mirror><registry>"
            + "docker.io</registry><mirrors><mirror>mirror.example.com</mirror></mirrors></mirror>");
      }
      if (pom.putIfAbsent(mirror.registry.trim(), mirror.mirrors) != null) {
        throw new InvalidInputException("registryMirrors", "registry " + mirror.registry.trim() + " is listed twice; "
            + "list all its mirrors in one <mirror>, in the order to try them");
      }
    }
    Map<String, String> env = environment != null ? environment : System.getenv();
    mirrors = RegistryMirrors.of(pom, "registryMirrors", () -> {
      Optional<RegistriesConf> conf = RegistriesConf.load(env, Path.of(System.getProperty("user.home")), engineLog());
      getLog().debug("multiarch: registries.conf: " + conf.map(c -> c.file().toString()).orElse("none found"));
      return conf;
    });
    getLog().debug("multiarch: registryMirrors: " + pom);
    return mirrors;
  }

  boolean isOffline() {
    return session != null && session.isOffline();
  }

  /** Refuses, before any request, what needs a registry when Maven runs offline ({@code -o}). */
  void requireOnline(String needs) {
    if (isOffline()) {
      throw new InvalidInputException("offline", "Maven is offline (-o): cannot " + needs);
    }
  }

  /**
   * {@code layout} when given, else the build's {@code outputDirectory}: a goal that reads what {@code build} wrote
   * looks where the plugin's configuration told {@code build} to write it.
   */
  static File layoutOrOutput(File layout, File outputDirectory) {
    if (layout != null) {
      return layout;
    }
    if (outputDirectory == null) {
      throw new InvalidInputException("layout", "no layout to read; set -Dmultiarch.layout=PATH (a build's output "
          + "directory or an OCI layout directory)");
    }
    return outputDirectory;
  }

  /**
   * The OCI layout of {@code dir}: its {@code oci/} when {@code dir} is a build's output directory, else
   * {@code dir} itself (any OCI layout directory).
   */
  static Path layoutOf(Path dir) {
    Path inside = dir.resolve(MultiPlatformBuilder.LAYOUT_DIR);
    return java.nio.file.Files.isDirectory(inside) ? inside : dir;
  }

  /** The credential for {@code registry}: explicit, environment, settings.xml, Docker config, podman auth. */
  Optional<Credential> credentialFor(String registry) {
    Map<String, String> env = environment != null ? environment : System.getenv();
    List<CredentialSource> sources = new ArrayList<>();
    sources.add(Credentials.environment(env));
    if (session != null && session.getSettings() != null) {
      sources.add(new SettingsCredentials(session.getSettings(), settingsDecrypter));
    }
    Path home = Path.of(System.getProperty("user.home"));
    sources.addAll(Credentials.dockerConfigs(env, home));
    sources.addAll(Credentials.podmanAuthFiles(env, home));
    return Credentials.resolve(registry, sources);
  }

  RegistryClient client(String registry, RegistryOptions options) {
    long start = System.nanoTime();
    Optional<Credential> credential = credentialFor(registry);
    getLog().info("multiarch: " + registry + ": " + credential.map(c -> "credentials from " + c.source())
        .orElse("anonymous (no credentials found)"));
    RegistryClient client = new RegistryClient(registry, credential.orElse(null), options, engineLog());
    clients.add(client);
    timings().record(registry + ": credentials looked up, client made", start);
    return client;
  }

  @Override
  void release() {
    clients.forEach(RegistryClient::close);
    clients.clear();
  }

  EngineLog engineLog() {
    return new MavenEngineLog(getLog(), getClass(), timings());
  }

  /**
   * Says which build output a goal acts on, and checks that it is the current one: built by
   * {@code multiarch:build} in this session, or by an earlier build with the same configuration as the POM
   * and the command line give now. When the configuration differs (the last build may have failed, leaving
   * the output of the one before), {@code refuse} makes that an error naming what differs; otherwise a warning.
   *
   * @param outputDirectory the build's output directory (holding {@code oci/})
   * @param acting what the goal does with it, e.g. "pushing"
   */
  void checkBuildOutput(MavenProject project, MojoExecution execution, Path outputDirectory, String acting,
      boolean refuse) {
    Path layoutDir = outputDirectory.resolve(MultiPlatformBuilder.LAYOUT_DIR);
    if (project != null && outputDirectory.toAbsolutePath().toString().equals(
        project.getContextValue(BuildFingerprint.BUILT_IN_SESSION))) {
      getLog().info("multiarch: " + acting + " OCI layout " + layoutDir + ", built by multiarch:build in this build");
      return;
    }
    String when = builtAt(outputDirectory);
    Map<String, String> recorded = BuildFingerprint.read(outputDirectory);
    Map<String, String> current = BuildFingerprint.of(project, session, execution);
    List<String> differ = recorded == null || current.isEmpty() ? List.of()
        : BuildFingerprint.differences(recorded, current, execution.getMojoDescriptor().getParameterMap().keySet());
    if (differ.isEmpty()) {
      getLog().info("multiarch: " + acting + " OCI layout " + layoutDir + ", built earlier" + when);
      return;
    }
    String message = "the layout " + layoutDir + " was built earlier" + when + " with another configuration than the "
        + "POM and command line give now (" + String.join(", ", differ) + " differ): it is the output of an earlier "
        + "build, and the last one may have failed; run the build first (e.g. mvn package multiarch:"
        + execution.getGoal() + ")";
    if (refuse) {
      throw new InvalidInputException("layout", message + ", or name the layout itself to "
          + "use it anyway: -Dmultiarch.layout=" + layoutDir);
    }
    getLog().warn("multiarch: " + message);
  }

  private static String builtAt(Path outputDirectory) {
    try {
      java.nio.file.attribute.FileTime time = java.nio.file.Files.getLastModifiedTime(
          outputDirectory.resolve(io.github.multiarch.build.MultiPlatformBuilder.METADATA_FILE));
      return " (" + time.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /**
   * Progress of long blob uploads: at INFO when Maven runs interactively, at DEBUG in batch mode ({@code -B}, as on
   * CI), so that batch logs stay short; {@code -q} hides both.
   */
  UploadListener uploadProgress() {
    boolean interactive = session != null && session.getRequest() != null && session.getRequest().isInteractiveMode();
    return new UploadProgress(interactive ? getLog()::info : getLog()::debug);
  }
}
