package io.github.multiarch.maven;

import io.github.multiarch.Sizes;
import io.github.multiarch.Timings;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.ImageTime;
import io.github.multiarch.build.JavaApplication;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.build.RegistryAccess;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Builds one image per platform, and the OCI image index (or Docker manifest list) over them, into a
 * local OCI image layout under {@code target/multiarch/oci}. Needs no registry and no network for a
 * {@code scratch} or local base.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class BuildMojo extends AbstractRegistryMojo {

  /**
   * The image repository, such as {@code registry.example.com/team/app}. A tag written here
   * ({@code app:1.0}) is used as well as {@code tags}.
   */
  @Parameter(property = "multiarch.image")
  String image;

  /** Tags of the index. Defaults to the project version. {@code -Dmultiarch.tags=1.0,latest}. */
  @Parameter(property = "multiarch.tags")
  List<String> tags;

  /**
   * The base image of every platform: {@code scratch} (the default), a registry reference
   * ({@code registry.example.com/base:1.0} or {@code …@sha256:…}), {@code oci-layout:PATH[:TAG]} (a local OCI
   * layout directory) or {@code oci-archive:PATH[:TAG]} (a layout tar).
   */
  @Parameter(property = "multiarch.from", defaultValue = "scratch")
  String from;

  /**
   * The platforms to build, each as text ({@code <platform>linux/arm/v7</platform>}) or as an element with
   * {@code os}, {@code architecture}, {@code variant}, {@code osVersion}, {@code osVersions}, {@code osFeatures},
   * {@code annotations}, {@code from} and {@code layers}. {@code windows/amd64} on a Windows base index gives
   * one image per os.version of the base (narrowed by {@code osVersions}). {@code -Dmultiarch.platforms=linux/amd64,linux/arm64}.
   */
  @Parameter(property = "multiarch.platforms")
  List<PlatformConfig> platforms;

  /**
   * Layers every platform gets: {@code <layer><name/><files><file><source/><target/><mode/></file></files></layer>}.
   * A {@code source} may hold placeholders expanded per platform: <code>{platform}</code> ({@code linux-arm64},
   * {@code linux-arm-v7}), <code>{os}</code>, <code>{arch}</code>, <code>{variant}</code>, <code>{goos}</code>,
   * <code>{goarch}</code>, <code>{goarm}</code>, <code>{unameMachine}</code> ({@code aarch64}),
   * <code>{tripleArch}</code>, <code>{debianArch}</code>, <code>{osDetectedArch}</code>,
   * <code>{osDetectedClassifier}</code> and <code>{exeSuffix}</code>; see docs/build.md for the table.
   */
  @Parameter
  List<LayerConfig> layers;

  /**
   * The run configuration: {@code entrypoint}, {@code cmd}, {@code environment}, {@code workingDirectory},
   * {@code user}, {@code ports}, {@code labels}; for Java applications {@code mainClass}, {@code jvmFlags} and
   * {@code expandClasspathDependencies}.
   */
  @Parameter
  ContainerConfig container;

  /** Annotations of the index; they override the ones filled from the POM. OCI format only. */
  @Parameter
  Map<String, String> annotations;

  /**
   * Fill the standard {@code org.opencontainers.image.*} index annotations (title, description, version,
   * revision, source, url, licenses, vendor, created) from the POM. Not applied to format docker.
   */
  @Parameter(property = "multiarch.pomAnnotations", defaultValue = "true")
  boolean pomAnnotations;

  /** {@code oci} (an OCI image index, the default) or {@code docker} (a Docker manifest list). */
  @Parameter(property = "multiarch.format", defaultValue = "oci")
  String format;

  /** Where the layout ({@code oci/}), {@code index.digest} and {@code metadata.json} are written. */
  @Parameter(property = "multiarch.outputDirectory", defaultValue = "${project.build.directory}/multiarch")
  File outputDirectory;

  /** Also write the layout as a tar, {@code image.tar} (an {@code oci-archive:}). */
  @Parameter(property = "multiarch.tarball", defaultValue = "false")
  boolean tarball;

  /**
   * What becomes of the layers of a base image from a registry: {@code copy} puts them into the layout (complete
   * for any OCI tool); {@code defer} leaves them in the base's registry and lists them in
   * {@code oci/multiarch-deferred-blobs.json}: {@code push} mounts them from there (to another registry it fetches
   * them), and {@code verify}, {@code inspect}, {@code create} and a build on this layout fetch them first.
   * {@code auto} (the default) defers when this Maven run pushes the image ({@code multiarch:push}, or a phase
   * that reaches a {@code push} execution, e.g. {@code mvn deploy}) and runs no {@code verify} (which reads every
   * layer), and copies otherwise. With {@code tarball}, layers are always copied. See docs/build.md,
   * "Base layers".
   */
  @Parameter(property = "multiarch.baseLayers", defaultValue = "auto")
  String baseLayers;

  /**
   * Where base images fetched from registries are kept between builds (an OCI layout), so later builds,
   * offline ones included, need not fetch them again.
   */
  @Parameter(property = "multiarch.cacheDirectory", defaultValue = "${user.home}/.cache/multiarch-maven-plugin")
  File cacheDirectory;

  /**
   * Mirrors to read base images from, per registry, each tried in order before the registry itself (which is still
   * asked last): {@code <mirror><registry>docker.io</registry><mirrors><mirror>mirror.example.com</mirror>
   * </mirrors></mirror>}, as Jib writes it. The mirrors of the containers {@code registries.conf}
   * ({@code CONTAINERS_REGISTRIES_CONF}, {@code ~/.config/containers/registries.conf},
   * {@code /etc/containers/registries.conf}) are tried after these. Pushes never go to a mirror. See
   * docs/enterprise-registries.md.
   */
  @Parameter
  List<RegistryMirror> registryMirrors;

  /**
   * Keep built layers in {@code cacheDirectory} (keyed by their content and metadata), so that a rebuild
   * takes a layer whose files did not change from there instead of writing and compressing it again.
   */
  @Parameter(property = "multiarch.layerCache", defaultValue = "true")
  boolean layerCache;

  /**
   * Attaches each platform's attestations: an SBOM ({@code sbom}) and a provenance statement ({@code provenance}),
   * as OCI 1.1 referrers of the platform's manifest, written into the layout and pushed by {@code push}. On by
   * default; see docs/supply-chain.md for what a registry without the referrers API shows.
   */
  @Parameter(property = "multiarch.attestations", defaultValue = "true")
  boolean attestations;

  /** A CycloneDX SBOM per platform (with {@code attestations}): every file in its layers, libraries, base. */
  @Parameter(property = "multiarch.sbom", defaultValue = "true")
  boolean sbom;

  /** An in-toto SLSA v1 provenance statement per platform (with {@code attestations}). */
  @Parameter(property = "multiarch.provenance", defaultValue = "true")
  boolean provenance;

  /**
   * A CycloneDX JSON BOM whose library components the SBOM takes instead of computing the dependencies, e.g.
   * cyclonedx-maven-plugin's. Unset: {@code target/bom.json} when a Java application has one.
   */
  @Parameter(property = "multiarch.sbomSource")
  File sbomSource;

  /** Fixes every timestamp of the image for reproducible builds. */
  @Parameter(defaultValue = "${project.build.outputTimestamp}")
  String outputTimestamp;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  MojoExecution mojoExecution;

  @Override
  protected void run() {
    ContainerConfig c = container == null ? new ContainerConfig() : container;
    Instant outputTime = OutputTimestamp.parse(outputTimestamp).orElse(null);
    Instant created = Optional.ofNullable(ImageTime.parse("container", "creationTime", c.creationTime))
        .orElse(outputTime);
    Instant filesTime = Optional.ofNullable(ImageTime.parse("container", "filesModificationTime",
        c.filesModificationTime)).orElse(outputTime != null ? outputTime : ImageTime.EPOCH_PLUS_SECOND);
    ImageFormat imageFormat = ImageFormat.parse("format", format);
    String repository = null;
    List<String> allTags = new ArrayList<>();
    if (image != null && !image.isBlank()) {
      ImageName name = ImageName.parse("image", image);
      if (name.digest() != null) {
        throw new InvalidInputException("image", "'" + image + "' holds a digest; name a repository (and "
            + "optionally a tag), e.g. registry.example.com/team/app:1.0");
      }
      repository = name.repositoryReference();
      if (name.tag() != null) {
        allTags.add(name.tag());
      }
    }
    allTags.addAll(givenTags(tags));
    if (allTags.isEmpty()) {
      allTags.add(project.getVersion());
    }

    Path basedir = project.getBasedir().toPath();
    List<PlatformRequest> platformRequests = new ArrayList<>();
    for (PlatformConfig config : platforms == null ? List.<PlatformConfig>of() : platforms) {
      platformRequests.add(toRequest(config, basedir));
    }

    if (c.cmd != null && c.args != null) {
      throw new InvalidInputException("container", "set either <cmd> or <args> (Jib's name for it), not both");
    }
    List<LayerSpec> commonLayers = new ArrayList<>();
    JavaLayers java = null;
    List<String> entrypoint = c.entrypoint;
    Map<String, List<String>> entrypointByOs = Map.of();
    String mainClass = c.mainClass;
    if ((mainClass == null || mainClass.isBlank()) && entrypoint == null) {
      mainClass = JavaLayers.jarManifestMainClass(project);
      if (mainClass != null) {
        getLog().info("multiarch: a Java application with main class " + mainClass + ", from maven-jar-plugin's "
            + "<archive><manifest><mainClass> (set <container><mainClass> or <entrypoint> to choose otherwise)");
      }
    }
    if (mainClass != null && !mainClass.isBlank()) {
      if (entrypoint != null) {
        throw new InvalidInputException("container", "set either <mainClass> (a Java application) or "
            + "<entrypoint>, not both");
      }
      try (Timings.Running phase = timings().start("Java application: dependencies and classes listed")) {
        java = JavaLayers.of(project);
      }
      // Java 8's launcher reads no @argument files: bytecode for 8 or older says the base may be a Java 8
      boolean expand = c.expandClasspathDependencies != null ? c.expandClasspathDependencies
          : java.oldestClassFileVersion() > 0 && java.oldestClassFileVersion() <= JavaLayers.JAVA_8;
      JavaApplication application = new JavaApplication(mainClass, c.jvmFlags, java.dependencies(), expand);
      commonLayers.addAll(java.layers());
      commonLayers.add(application.argFilesLayer());
      entrypoint = application.entrypoint();
      entrypointByOs = application.entrypointByOs(); // C:\app\... on Windows platforms
      Path extraFiles = basedir.resolve(JavaLayers.EXTRA_FILES_DIRECTORY);
      if (Files.isDirectory(extraFiles)) { // Jib's default extra directory: Jib users keep their files there
        commonLayers.add(new LayerSpec("extra-files", List.of(new LayerFile(extraFiles, "/", null))));
      }
    }
    commonLayers.addAll(toLayers(layers, basedir, "layers"));

    Map<String, String> indexAnnotations = new LinkedHashMap<>();
    if (pomAnnotations && imageFormat == ImageFormat.OCI) {
      indexAnnotations.putAll(PomAnnotations.of(project, created));
    } else if (pomAnnotations) {
      getLog().info("multiarch: format docker cannot carry annotations; the POM's org.opencontainers.image.* "
          + "annotations are not added (use labels in <container> for such metadata)");
    }
    if (annotations != null) {
      indexAnnotations.putAll(annotations);
    }

    BuildRequest request = new BuildRequest(repository, allTags, imageFormat, from, platformRequests,
        commonLayers, new ContainerSpec(entrypoint, c.cmd != null ? c.cmd : c.args, c.environment,
        c.workingDirectory, c.user, c.ports, c.labels, c.volumes).withEntrypointByOs(entrypointByOs),
        indexAnnotations, created,
        outputDirectory.toPath(), tarball, basedir,
        new RegistryAccess(registry -> client(registry, registryOptions()), cacheDirectory.toPath(), isOffline(),
            new MavenEngineLog(getLog(), getClass(), timings()), readMirrors(registryMirrors), deferBaseLayers()),
        layerCache ? cacheDirectory.toPath() : null, filesTime);
    SupplyChain.checkSbomSource(sbomSource, attestations && sbom);
    JavaLayers javaApplication = java;
    request = request.withAttestor(BackgroundAttestor.start(attestations && (sbom || provenance),
        () -> SupplyChain.attestor(attestations && sbom, attestations && provenance, javaApplication, sbomSource,
            project, session, mojoExecution, created, System.getenv(), layerCache ? cacheDirectory.toPath() : null),
        timings()));
    BuildResult result = new MultiPlatformBuilder(new MavenEngineLog(getLog(), getClass(), timings())).build(request);
    if (request.attestor() != null) {
      getLog().info("multiarch: each platform's image carries " + (sbom && provenance ? "an SBOM and a provenance "
          + "statement" : sbom ? "an SBOM" : "a provenance statement") + " (OCI 1.1 referrers in the layout; push "
          + "sends them; attestations=false turns them off)");
    }
    Summary.logBuild(getLog(), repository, result, imageFormat);
    logDeferred(result);
    try (Timings.Running phase = timings().start("build configuration recorded")) {
      recordConfiguration();
    }
  }

  /** {@code baseLayers}: whether base layers from a registry stay there (never for a tarball). */
  private boolean deferBaseLayers() {
    String mode = baseLayers == null ? "auto" : baseLayers.trim().toLowerCase(java.util.Locale.ROOT);
    boolean defer = switch (mode) {
      case "copy" -> false;
      case "defer" -> true;
      case "auto", "" -> PushPlan.defersBaseLayers(session, project);
      default -> throw new InvalidInputException("baseLayers", "unknown value '" + baseLayers + "'; valid: auto "
          + "(defer when this run pushes), copy (every base layer in the layout), defer (left in the base's "
          + "registry for push to mount)");
    };
    return defer && !tarball;
  }

  private void logDeferred(BuildResult result) {
    List<DeferredBlobs.Entry> left = DeferredBlobs.listed(OciLayout.open(result.layout()));
    if (!left.isEmpty()) {
      getLog().info("multiarch: " + left.size() + " base layers (" + Sizes.human(left.stream()
          .mapToLong(e -> e.blob().size()).sum()) + ") not downloaded: left in " + String.join(", ", left.stream()
          .map(DeferredBlobs.Entry::source).distinct().toList()) + " for push to mount, and listed in "
          + result.layout().resolve(DeferredBlobs.FILE) + " (baseLayers=copy puts them into the layout)");
    }
  }

  /** Tells push and verify, later in this build or in another, what this output was built from. */
  private void recordConfiguration() {
    Map<String, String> fingerprint = BuildFingerprint.of(project, session, mojoExecution);
    try {
      if (fingerprint.isEmpty()) {
        Files.deleteIfExists(outputDirectory.toPath().resolve(BuildFingerprint.FILE));
      } else {
        BuildFingerprint.write(outputDirectory.toPath(), fingerprint);
      }
    } catch (java.io.IOException e) {
      throw new io.github.multiarch.oci.MultiarchException("cannot write " + outputDirectory.toPath().resolve(
          BuildFingerprint.FILE) + ": " + e.getMessage(), e);
    }
    project.setContextValue(BuildFingerprint.BUILT_IN_SESSION, outputDirectory.toPath().toAbsolutePath().toString());
  }

  private static PlatformRequest toRequest(PlatformConfig config, Path basedir) {
    Platform platform = config.toPlatform("platforms");
    return new PlatformRequest(platform, config.annotations, config.from,
        toLayers(config.layers, basedir, "platforms"), config.osVersions, config.entrypoint, config.cmd);
  }

  private static List<LayerSpec> toLayers(List<LayerConfig> configs, Path basedir, String parameter) {
    List<LayerSpec> specs = new ArrayList<>();
    if (configs == null) {
      return specs;
    }
    int number = 0;
    for (LayerConfig layer : configs) {
      number++;
      String name = layer.name == null || layer.name.isBlank() ? "layer-" + number : layer.name.trim();
      if (layer.files == null || layer.files.isEmpty()) {
        throw new InvalidInputException(parameter, "layer '" + name + "' has no <files>");
      }
      List<LayerFile> files = new ArrayList<>();
      for (FileConfig file : layer.files) {
        if (file.source == null || file.source.isBlank()) {
          throw new InvalidInputException(parameter, "a <file> of layer '" + name + "' has no <source>");
        }
        if (file.target == null || file.target.isBlank()) {
          throw new InvalidInputException(parameter, "<file> " + file.source + " of layer '" + name
              + "' has no <target> (an absolute path in the image, e.g. /usr/local/bin/app)");
        }
        Integer mode = file.mode == null ? null
            : LayerFile.parseMode(file.mode, "layer '" + name + "', file " + file.source, parameter);
        files.add(new LayerFile(basedir.resolve(file.source.trim()), file.target.trim(), mode));
      }
      specs.add(new LayerSpec(name, files));
    }
    return specs;
  }
}
