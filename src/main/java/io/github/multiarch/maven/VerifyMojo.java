package io.github.multiarch.maven;

import io.github.multiarch.build.BuildMetadata;
import io.github.multiarch.check.BinaryCheck;
import io.github.multiarch.check.ImageContent;
import io.github.multiarch.check.ImageVerifier;
import io.github.multiarch.check.PathGlob;
import io.github.multiarch.check.SmokeRunner;
import io.github.multiarch.check.VerificationFailedException;
import io.github.multiarch.check.VerifyReport;
import io.github.multiarch.check.VerifyRequest;
import io.github.multiarch.image.LayoutCompletion;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.image.RegistryStore;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.MirroredRepository;
import io.github.multiarch.sign.VerificationKey;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Verifies a multi-platform image before it is deployed: the required platforms are there, every index entry
 * agrees with its image config and every blob with its descriptor, every executable in a platform's layers is
 * built for that platform's CPU, and (with {@code smokeRun}) each Linux platform's entrypoint runs, natively or
 * under QEMU user emulation. Verifies the layout {@code build} wrote, or an image in a registry. Fails the
 * build listing every failure; prints a summary table per platform.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = false)
public class VerifyMojo extends AbstractRegistryMojo {
  private static final String PLUGIN_KEY = "io.github.multiarch:multiarch-maven-plugin";

  /**
   * Platforms the image must have, e.g. {@code linux/amd64,linux/arm64}; matched as runtimes match them
   * ({@code linux/arm64} is {@code linux/arm64/v8}). Default: the build's {@code platforms}; when there are none
   * (verifying an image from elsewhere), every entry must only be a well-formed platform.
   */
  @Parameter(property = "multiarch.requiredPlatforms")
  List<String> requiredPlatforms;

  /**
   * The platforms of the build (the {@code build} goal's parameter, read from the plugin's configuration): the
   * default of {@code requiredPlatforms}.
   */
  @Parameter(property = "multiarch.platforms")
  List<PlatformConfig> platforms;

  /**
   * The layout to verify: a build's output directory (holding {@code oci/}) or an OCI layout directory; by default
   * the build's {@code outputDirectory}. Every image or index its {@code index.json} names is verified.
   */
  @Parameter(property = "multiarch.layout")
  File layout;

  /**
   * The {@code build} goal's output directory, read from the plugin's configuration (or
   * {@code -Dmultiarch.outputDirectory}): the {@code layout} used when none is given.
   */
  @Parameter(property = "multiarch.outputDirectory", defaultValue = "${project.build.directory}/multiarch")
  File outputDirectory;

  /**
   * An image in a registry to verify instead of the layout, {@code registry.example.com/team/app:1.0} or
   * {@code …@sha256:…} (without a tag: the build's first tag, else the project version). Used when the goal is
   * run from the command line ({@code mvn multiarch:verify -Dmultiarch.image=REF}) or with {@code verifySource}
   * {@code registry}; in the lifecycle, {@code image} names the push target and the layout is verified.
   */
  @Parameter(property = "multiarch.image")
  String image;

  /**
   * What to verify: {@code layout}, {@code registry} (the {@code image}), or {@code auto}: the registry when the
   * goal runs from the command line with an {@code image}, else the layout.
   */
  @Parameter(property = "multiarch.verifySource", defaultValue = "auto")
  String verifySource;

  /** What a binary built for another CPU does: {@code fail} (the default), {@code warn}, or {@code off}. */
  @Parameter(property = "multiarch.binaryCheck", defaultValue = "fail")
  String binaryCheck;

  /**
   * Paths not judged by the binary check, as patterns: {@code /opt/firmware/**}, {@code *.ko}
   * ({@code **} crosses directories; a pattern without a leading {@code /} matches at any depth).
   */
  @Parameter(property = "multiarch.binaryCheckIgnore")
  List<String> binaryCheckIgnore;

  /**
   * Run each Linux platform's entrypoint and cmd (or {@code smokeCommand}) from its unpacked image: natively for
   * the host's platform, under {@code qemu-ARCH-static} (Debian package {@code qemu-user-static}) for the others.
   */
  @Parameter(property = "multiarch.smokeRun", defaultValue = "false")
  boolean smokeRun;

  /** The command of the smoke run instead of the image's entrypoint and cmd, e.g. {@code /app/hello,--version}. */
  @Parameter(property = "multiarch.smokeCommand")
  List<String> smokeCommand;

  /** A regular expression the smoke run's output (stdout and stderr) must contain a match of. */
  @Parameter(property = "multiarch.smokeExpect")
  String smokeExpect;

  /** Seconds each platform's smoke run may take before it is killed and fails. */
  @Parameter(property = "multiarch.smokeTimeout", defaultValue = "60")
  int smokeTimeout;

  /** Every platform must carry an SBOM (a CycloneDX referrer of its manifest). */
  @Parameter(property = "multiarch.requireSbom", defaultValue = "false")
  boolean requireSbom;

  /** Every platform must carry an in-toto provenance statement whose subject is its manifest. */
  @Parameter(property = "multiarch.requireProvenance", defaultValue = "false")
  boolean requireProvenance;

  /**
   * A PEM public key (ECDSA P-256): the index and every platform must carry a signature it verifies, a Sigstore
   * bundle or cosign's legacy {@code .sig}. Checked on a registry image; a layout is signed only when pushed.
   */
  @Parameter(property = "multiarch.verifyKey")
  File verifyKey;

  /**
   * Mirrors to read a registry image ({@code image}) from, per registry, each tried in order before the registry
   * itself (which is still asked last):
   * {@code <mirror><registry>docker.io</registry><mirrors><mirror>mirror.example.com</mirror></mirrors></mirror>},
   * as Jib writes it. The mirrors of the containers {@code registries.conf}
   * ({@code CONTAINERS_REGISTRIES_CONF}, {@code ~/.config/containers/registries.conf},
   * {@code /etc/containers/registries.conf}) are tried after these. Pushes never go to a mirror. See
   * docs/enterprise-registries.md.
   */
  @Parameter
  List<RegistryMirror> registryMirrors;

  /** Where smoke runs unpack images and where blobs of a registry image are downloaded (deleted afterwards). */
  @Parameter(property = "multiarch.verifyDirectory", defaultValue = "${project.build.directory}/multiarch-verify")
  File verifyDirectory;

  /** Skips this goal only. */
  @Parameter(property = "multiarch.skipVerify", defaultValue = "false")
  boolean skipVerify;

  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject project;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  MojoExecution mojoExecution;

  @Override
  protected void run() throws MojoFailureException {
    if (skipVerify) {
      getLog().info("multiarch: verify skipped (multiarch.skipVerify)");
      return;
    }
    layout = layoutOrOutput(layout, outputDirectory);
    VerifyRequest request = request();
    List<VerifyReport> reports;
    long start = System.nanoTime();
    try (ImageContent content = openSource()) {
      reports = new ImageVerifier(engineLog(), SmokeRunner.forHost()).verify(content, request);
    }
    getLog().info(String.format(Locale.ROOT, "multiarch: verification took %.1f s", (System.nanoTime() - start) / 1e9));
    for (VerifyReport report : reports) {
      report.table().forEach(getLog()::info);
      for (VerifyReport.Finding f : report.warnings()) {
        getLog().warn("multiarch: " + f);
      }
    }
    try { // the failures are listed once, in the message Maven prints as the build's error
      VerificationFailedException.throwIfFailed(reports);
    } catch (VerificationFailedException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }

  VerifyRequest request() {
    List<Platform> required = new ArrayList<>();
    String requiredFrom;
    List<String> given = nonBlank(requiredPlatforms);
    if (!given.isEmpty()) {
      for (String text : given) {
        required.add(Platform.parse("requiredPlatforms", text));
      }
      requiredFrom = "<requiredPlatforms>";
    } else {
      required.addAll(buildPlatforms());
      requiredFrom = "the build's <platforms>";
    }
    required = List.copyOf(new LinkedHashSet<>(required));
    List<PathGlob> ignore = nonBlank(binaryCheckIgnore).stream()
        .map(g -> PathGlob.parse("binaryCheckIgnore", g)).toList();
    VerifyRequest.Smoke smoke = null;
    InvalidInputException.checkRange("smokeTimeout", smokeTimeout, 1, 3600, "seconds (default 60)");
    if (smokeRun) {
      Pattern expect = null;
      if (smokeExpect != null && !smokeExpect.isEmpty()) {
        try {
          expect = Pattern.compile(smokeExpect);
        } catch (PatternSyntaxException e) {
          throw new InvalidInputException("smokeExpect", "not a regular expression: " + e.getDescription()
              + " in '" + smokeExpect + "'");
        }
      }
      smoke = new VerifyRequest.Smoke(nonBlank(smokeCommand), expect, Duration.ofSeconds(smokeTimeout),
          verifyDirectory.toPath());
    }
    VerificationKey key = verifyKey == null ? null : VerificationKey.load(verifyKey.toPath(), "verifyKey");
    return new VerifyRequest(required, requiredFrom, BinaryCheck.parse("binaryCheck", binaryCheck), ignore, smoke,
        new VerifyRequest.SupplyChain(requireSbom, requireProvenance, key));
  }

  /** The platforms the build is configured with: this goal's view of the plugin's configuration, else the POM's. */
  List<Platform> buildPlatforms() {
    List<Platform> result = new ArrayList<>();
    if (platforms != null && !platforms.isEmpty()) {
      for (PlatformConfig config : platforms) {
        result.add(toPlatform(config));
      }
      return result;
    }
    if (project == null || project.getBuildPlugins() == null) {
      return result;
    }
    for (Plugin plugin : project.getBuildPlugins()) {
      if (!PLUGIN_KEY.equals(plugin.getKey())) {
        continue;
      }
      for (PluginExecution execution : plugin.getExecutions()) {
        if (execution.getGoals().contains("build") && execution.getConfiguration() instanceof Xpp3Dom dom) {
          result.addAll(platformsOf(dom));
        }
      }
      if (result.isEmpty() && plugin.getConfiguration() instanceof Xpp3Dom dom) {
        result.addAll(platformsOf(dom));
      }
    }
    return result;
  }

  private static List<Platform> platformsOf(Xpp3Dom configuration) {
    List<Platform> result = new ArrayList<>();
    Xpp3Dom list = configuration.getChild("platforms");
    if (list == null) {
      return result;
    }
    for (Xpp3Dom child : list.getChildren()) {
      PlatformConfig config = new PlatformConfig();
      if (child.getChildCount() == 0) {
        config.platform = child.getValue();
      } else {
        config.platform = value(child, "platform");
        config.os = value(child, "os");
        config.architecture = value(child, "architecture");
        config.variant = value(child, "variant");
        config.osVersion = value(child, "osVersion");
        Xpp3Dom features = child.getChild("osFeatures");
        if (features != null) {
          config.osFeatures = java.util.Arrays.stream(features.getChildren()).map(Xpp3Dom::getValue).toList();
        }
      }
      result.add(toPlatform(config)); // read as build reads it: the same platform, or the same refusal
    }
    return result;
  }

  private static String value(Xpp3Dom parent, String name) {
    Xpp3Dom child = parent.getChild(name);
    return child == null ? null : child.getValue();
  }

  private static Platform toPlatform(PlatformConfig config) {
    return config.toPlatform("platforms");
  }


  private ImageContent openSource() {
    String mode = verifySource == null ? "auto" : verifySource.trim().toLowerCase(Locale.ROOT);
    boolean fromCommandLine = mojoExecution != null && "default-cli".equals(mojoExecution.getExecutionId());
    // what this build made last: mvn package multiarch:verify verifies the layout just built, not what the
    // registry holds; mvn package multiarch:push multiarch:verify, what was just pushed
    boolean builtNow = project != null && project.getContextValue(BuildFingerprint.BUILT_IN_SESSION) != null;
    boolean pushedNow = project != null && project.getContextValue(BuildFingerprint.PUSHED_IN_SESSION) != null;
    boolean registry = switch (mode) {
      case "registry" -> true;
      case "layout" -> false;
      case "auto" -> fromCommandLine && (pushedNow || !builtNow) && image != null && !image.isBlank();
      default -> throw new InvalidInputException("verifySource", "unknown value '" + verifySource + "'; valid: auto, "
          + "layout, "
          + "registry");
    };
    if (registry) {
      ImageContent content = registrySource();
      getLog().info("multiarch: verifying " + content.describe() + (!mode.equals("auto") ? ""
          : pushedNow ? " (pushed in this build; -Dmultiarch.verifySource=layout verifies the layout instead)"
          : " (-Dmultiarch.image on the command line; -Dmultiarch.verifySource=layout verifies the build's layout)"));
      return content;
    }
    ImageContent content = layoutSource();
    Path output = layout.toPath();
    if (!layoutOf(output).equals(output) && mojoExecution != null) {
      checkBuildOutput(project, mojoExecution, output, "verifying", false);
    } else {
      getLog().info("multiarch: verifying " + content.describe());
    }
    return content;
  }

  private ImageContent layoutSource() {
    Path dir = layoutOf(layout.toPath());
    OciLayout opened;
    try {
      opened = OciLayout.open(dir);
    } catch (MultiarchException e) {
      throw new InvalidInputException("layout", e.getMessage() + "; run multiarch:build first, point "
          + "-Dmultiarch.layout at a layout, or verify a registry image with -Dmultiarch.image=REF", e);
    }
    // base layers the build left in their registry are fetched first: verify reads every layer
    LayoutCompletion.complete(opened, registry -> client(registry, registryOptions()), isOffline(), engineLog());
    return ImageContent.of(new LayoutStore(opened));
  }

  private ImageContent registrySource() {
    if (image == null || image.isBlank()) {
      throw new InvalidInputException("image", "no image to verify; set -Dmultiarch.image=REF, e.g. "
          + "registry.example.com/team/app:1.0");
    }
    ImageName name = ImageName.parse("image", image.trim());
    requireOnline("verify " + image + " in " + name.registry());
    String reference = name.digest() != null ? name.digest() : name.tag() != null ? name.tag() : defaultTag();
    MirroredRepository reads = new MirroredRepository(name, readMirrors(registryMirrors),
        host -> client(host, registryOptions()), engineLog());
    return ImageContent.of(new RegistryStore(reads, name, verifyDirectory.toPath()), reference);
  }

  /** The build's first tag (from metadata.json), else the project version. */
  private String defaultTag() {
    try {
      String tag = BuildMetadata.read(layout.toPath()).map(BuildMetadata::firstTag).orElse(null);
      if (tag != null) {
        return tag;
      }
    } catch (MultiarchException e) {
      getLog().debug("multiarch: " + e.getMessage());
    }
    if (project != null && project.getVersion() != null && project.getFile() != null) {
      return project.getVersion();
    }
    throw new InvalidInputException("image", "'" + image + "' names no tag or digest, and there is no build to "
        + "take one from; write REPOSITORY:TAG or REPOSITORY@sha256:…");
  }

  private static List<String> nonBlank(List<String> values) {
    return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim)
        .toList();
  }
}
