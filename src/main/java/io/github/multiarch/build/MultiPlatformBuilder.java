package io.github.multiarch.build;

import io.github.multiarch.EngineLog;
import io.github.multiarch.FileTrees;
import io.github.multiarch.layer.BuiltLayer;
import io.github.multiarch.layer.LayerBuilder;
import io.github.multiarch.layer.LayerCache;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerFormat;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.oci.PlatformPlaceholders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds one image per platform and the index over them into an OCI layout. Everything the user could
 * have got wrong is checked first, for every platform, before a single file is written.
 */
public final class MultiPlatformBuilder {
  /** Where the OCI layout goes inside the output directory. */
  public static final String LAYOUT_DIR = "oci";
  public static final String DIGEST_FILE = "index.digest";
  public static final String METADATA_FILE = "metadata.json";
  public static final String TARBALL_FILE = "image.tar";

  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(-(\\d{1,5}))?(/(tcp|udp|sctp))?");

  private final EngineLog log;

  public MultiPlatformBuilder(EngineLog log) {
    this.log = log;
  }

  /** A platform with everything resolved, ready to write. */
  private record Plan(PlatformRequest request, Platform platform, List<LayerSpec> layers, ResolvedBase base) {}

  public BuildResult build(BuildRequest request) {
    List<String> tags = validateTags(request.tags());
    if (request.image() != null) {
      ImageName.parse("image", request.image());
    }
    validateAnnotations(request);
    List<String> ports = normalizePorts(request.container().ports());
    validateWorkingDirectory(request.container());
    Path outputDirectory = request.outputDirectory();
    long planStart = System.nanoTime();
    List<Plan> plans = planWithoutLeftovers(request);
    log.timings().record("bases resolved, layers planned", planStart);

    Path layoutDir = outputDirectory.resolve(LAYOUT_DIR);
    FileTrees.deleteRecursively(layoutDir);
    OciLayout layout = OciLayout.create(layoutDir);
    LayerBuilder layerBuilder = new LayerBuilder(request.filesModificationTime(),
        request.layerCache() == null ? null : LayerCache.open(request.layerCache(), log));
    // by spec and format: a layer shared by Linux platforms is another tar for Windows ones
    Map<Map.Entry<LayerSpec, LayerFormat>, BuiltLayer> builtLayers = new HashMap<>();
    String created = DateTimeFormatter.ISO_INSTANT.format(request.creationTime());
    ImageFormat format = request.format();

    List<Descriptor> entries = new ArrayList<>();
    List<Descriptor> attestations = new ArrayList<>();
    List<BuildResult.PlatformImage> images = new ArrayList<>();
    List<DeferredBlobs.Entry> deferred = new ArrayList<>();
    for (Plan plan : plans) {
      ResolvedBase base = plan.base();
      log.info("Building " + plan.platform() + " on " + base.description());
      List<Descriptor> layers = new ArrayList<>();
      List<BuiltLayer.FileDigest> files = new ArrayList<>();
      for (Descriptor baseLayer : base.layers()) {
        layers.add(baseLayerInFamily(baseLayer, format, base));
        if (MediaTypes.isNonDistributable(baseLayer.mediaType())) {
          // referred to only: a node fetches a foreign layer from its urls, and it may not be redistributed
          // (image-spec layer.md, "Non-distributable layers"); the layout lacks its blob on purpose
          continue;
        }
        if (base.layersDeferred() && !request.tarball()) { // push mounts it; a reader fetches it first
          deferred.add(new DeferredBlobs.Entry(baseLayer, base.sourceRepository()));
          continue;
        }
        try { // checked when the base was resolved
          layout.copyCheckedFile(base.store().localBlob(baseLayer).file(), baseLayer.digest());
        } catch (IOException e) {
          throw new MultiarchException("cannot read layer " + baseLayer.digest() + " of " + base.description() + ": "
              + e.getMessage(), e);
        }
      }
      ImageConfig config = base.config().copy();
      config.setPlatform(plan.platform());
      config.setCreated(created);
      LayerFormat layerFormat = LayerFormat.forOs(plan.platform().os());
      for (LayerSpec spec : plan.layers()) {
        Map.Entry<LayerSpec, LayerFormat> layerKey = Map.entry(spec, layerFormat);
        BuiltLayer built = builtLayers.get(layerKey);
        if (built == null) {
          int hitsBefore = layerBuilder.cacheHits();
          long layerStart = System.nanoTime();
          built = layerBuilder.build(spec, layerFormat, layout, "layers");
          builtLayers.put(layerKey, built);
          String how = layerBuilder.cacheHits() > hitsBefore ? "unchanged: from the layer cache" : "built";
          log.timings().record("layer '" + spec.name() + "' " + how, layerStart);
          log.debug("Layer '" + spec.name() + "' " + built.digest() + " (" + built.size() + " bytes, " + how + ")");
        } else {
          log.debug("Layer '" + spec.name() + "' shared: " + built.digest());
        }
        layers.add(new Descriptor(format.layerMediaType(), built.digest(), built.size()));
        files.addAll(built.files());
        config.addLayer(built.diffId(), "multiarch-maven-plugin: layer " + spec.name(), created);
      }
      applyContainer(config, request.container(), plan.request(), ports, created);
      Descriptor configDescriptor = layout.writeBlob(format.configMediaType(), config.toBytes());
      ImageManifest manifest = new ImageManifest(format.manifestMediaType(), configDescriptor, layers, Map.of());
      Descriptor manifestDescriptor = layout.writeBlob(format.manifestMediaType(), manifest.toBytes());
      entries.add(manifestDescriptor.withPlatform(plan.platform())
          .withAnnotations(format == ImageFormat.OCI ? plan.request().annotations() : Map.of()));
      if (request.attestor() != null) {
        long attestStart = System.nanoTime();
        String baseReference = plan.request().from() != null ? plan.request().from() : request.from();
        for (Artifact attestation : request.attestor().attest(new Attestor.PlatformBuild(request.image(), tags,
            plan.platform(), manifestDescriptor, files, baseReference == null ? "scratch" : baseReference,
            base.manifestDescriptor()))) {
          layout.writeArtifact(attestation);
          attestations.add(OciLayout.referrerEntry(attestation, manifestDescriptor.digest()));
        }
        log.timings().record("attestations made for " + plan.platform(), attestStart);
      }
      long layersSize = layers.stream().mapToLong(Descriptor::size).sum();
      images.add(new BuildResult.PlatformImage(plan.platform(), manifestDescriptor, configDescriptor.digest(),
          layersSize, layers.size(), base.description(), base.sourceRepository(),
          base.layers().stream().map(Descriptor::digest).toList()));
    }

    if (layerBuilder.cacheHits() > 0) {
      log.info(layerBuilder.cacheHits() + " of " + builtLayers.size() + " layers unchanged since an earlier build: "
          + "taken from the layer cache " + request.layerCache());
    }
    ImageIndex index = new ImageIndex(format.indexMediaType(), entries,
        format == ImageFormat.OCI ? request.indexAnnotations() : Map.of());
    Descriptor indexDescriptor = layout.writeBlob(format.indexMediaType(), index.toBytes());
    List<Descriptor> refs = new ArrayList<>(tags.stream()
        .map(tag -> indexDescriptor.withAnnotations(Map.of(OciLayout.REF_NAME, tag))).toList());
    refs.addAll(attestations);
    DeferredBlobs.write(layout, deferred); // before index.json names what lacks them
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, refs, Map.of()));

    Path tarball = outputDirectory.resolve(TARBALL_FILE);
    try {
      Files.writeString(outputDirectory.resolve(DIGEST_FILE), indexDescriptor.digest() + "\n",
          StandardCharsets.UTF_8);
      if (request.tarball()) {
        LayoutArchive.write(layout, tarball);
      } else {
        Files.deleteIfExists(tarball);
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot write into " + outputDirectory + ": " + e.getMessage(), e);
    }
    BuildResult result = new BuildResult(indexDescriptor, images, layoutDir, request.tarball() ? tarball : null,
        outputDirectory.resolve(METADATA_FILE), tags);
    BuildMetadata.of(request, result).write(outputDirectory);
    return result;
  }

  /**
   * {@link #plan}, and when it fails, removes what planning wrote (an extracted {@code oci-archive:} base)
   * so that bad input leaves the output directory as it was.
   */
  private List<Plan> planWithoutLeftovers(BuildRequest request) {
    Path outputDirectory = request.outputDirectory();
    Path workDir = outputDirectory.resolve("work");
    boolean outputExisted = Files.exists(outputDirectory);
    boolean workExisted = Files.exists(workDir);
    try {
      return plan(request);
    } catch (RuntimeException e) {
      try {
        if (!outputExisted) {
          FileTrees.deleteRecursively(outputDirectory);
        } else if (!workExisted) {
          FileTrees.deleteRecursively(workDir);
        }
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private List<Plan> plan(BuildRequest request) {
    if (request.platforms().isEmpty()) {
      throw new InvalidInputException("platforms", "no platforms configured; list at least one, e.g. "
          + InvalidInputException.param("platforms", "linux/amd64,linux/arm64"));
    }
    Map<Platform, Platform> seen = new HashMap<>();
    for (PlatformRequest p : request.platforms()) {
      if (seen.put(p.platform(), p.platform()) != null) {
        throw new InvalidInputException("platforms", "platform " + p.platform().describe()
            + " is listed twice (linux/arm64 and linux/arm64/v8, linux/arm and linux/arm/v7 are the same platform)");
      }
    }
    Map<String, BaseImage> bases = new HashMap<>();
    Path workDir = request.outputDirectory().resolve("work");
    List<Plan> plans = new ArrayList<>();
    for (PlatformRequest p : request.platforms()) {
      List<LayerSpec> layers = new ArrayList<>();
      for (LayerSpec spec : request.commonLayers()) {
        layers.add(expand(spec, p.platform(), "layers", request.basedir()));
      }
      for (LayerSpec spec : p.layers()) {
        layers.add(expand(spec, p.platform(), "platforms", request.basedir()));
      }
      String from = p.from() != null ? p.from() : request.from();
      String fromParameter = p.from() != null ? "platforms" : "from";
      BaseImage base = bases.computeIfAbsent(from == null ? "scratch" : from,
          f -> BaseImages.parse(fromParameter, f, request.basedir(), workDir, request.registryAccess()));
      checkOsVersions(p);
      // a Windows platform without an os.version: one image per os.version of the base (a Windows container
      // runs only on a host of its build); the layers are the same for all of them
      for (ResolvedBase resolved : base.resolveAll(p.platform(), p.osVersions(), fromParameter)) {
        Platform platform = p.platform();
        Platform baseDeclared = resolved.config().platform();
        Platform baseEntry = resolved.manifestDescriptor() == null ? null : resolved.manifestDescriptor().platform();
        if (platform.osVersion().isEmpty() && !baseDeclared.osVersion().isEmpty()) {
          platform = platform.withOsVersion(baseDeclared.osVersion()); // Windows: the base's build decides
        } else if (platform.osVersion().isEmpty() && baseEntry != null && !baseEntry.osVersion().isEmpty()) {
          platform = platform.withOsVersion(baseEntry.osVersion());
        }
        if (platform.osFeatures().isEmpty() && !baseDeclared.osFeatures().isEmpty()) {
          platform = platform.withOsFeatures(baseDeclared.osFeatures());
        }
        if (request.format() == ImageFormat.DOCKER && resolved.manifest() != null) {
          for (Descriptor layer : resolved.layers()) {
            String mapped = MediaTypes.layerInFamily(layer.mediaType(), ImageFormat.DOCKER);
            if (!MediaTypes.isDocker(mapped)) {
              throw new InvalidInputException("format", "format docker cannot carry layer " + layer.digest()
                  + " of base " + resolved.description() + " (" + layer.mediaType() + "); use format oci");
            }
          }
        }
        plans.add(new Plan(p, platform, layers, resolved));
      }
    }
    Map<Platform, Plan> planned = new HashMap<>();
    for (Plan plan : plans) {
      Plan earlier = planned.putIfAbsent(plan.platform(), plan);
      if (earlier != null) { // e.g. windows/amd64 for every os.version of its base, and again with osVersion
        throw new InvalidInputException("platforms", plan.platform().describe() + " would be built twice (for "
            + earlier.request().platform().describe() + " and for " + plan.request().platform().describe()
            + "); a runtime takes the first of two equal entries: remove one, or narrow one with osVersions");
      }
    }
    return plans;
  }

  /** {@code osVersions} is for a Windows platform whose os.version the base decides, and holds versions. */
  private static void checkOsVersions(PlatformRequest p) {
    if (p.osVersions().isEmpty()) {
      return;
    }
    if (!p.platform().os().equals("windows")) {
      throw new InvalidInputException("platforms", "platform " + p.platform() + " has osVersions, which only "
          + "a windows platform can have (a Windows base offers one image per os.version)");
    }
    if (!p.platform().osVersion().isEmpty()) {
      throw new InvalidInputException("platforms", "platform " + p.platform().describe() + " has both osVersion "
          + "and osVersions; set osVersion for one build, or osVersions to choose several of the base's");
    }
    for (String version : p.osVersions()) {
      if (version == null || !version.trim().matches("\\d+\\.\\d+\\.\\d+(\\.\\d+)?")) {
        throw new InvalidInputException("platforms", "malformed entry '" + version + "' in osVersions of "
            + p.platform() + "; expected a Windows build such as 10.0.20348 or a version such as 10.0.20348.2582");
      }
    }
  }

  /**
   * The layer as {@code platform} gets it (its files for the platform's os), with placeholders in its sources
   * and targets expanded for the platform, and checked: every source exists, the targets suit the platform's layer format.
   */
  private static LayerSpec expand(LayerSpec spec, Platform platform, String parameter, Path basedir) {
    List<LayerFile> files = new ArrayList<>();
    for (LayerFile file : spec.forOs(platform.os()).files()) {
      if (file.isMade()) {
        files.add(file);
        continue;
      }
      String configured = file.source().toString();
      Path source = Path.of(PlatformPlaceholders.expand(configured, platform, parameter));
      if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
        String expandedNote = configured.equals(source.toString()) ? "" : " (from " + configured + ")";
        throw new InvalidInputException(parameter, "layer '" + spec.name() + "' for platform " + platform
            + ": source " + source + expandedNote + " does not exist"
            + MissingSourceHint.describe(configured, platform));
      }
      SourcePaths.checkStaysInProject(source, basedir, "layer '" + spec.name() + "' for platform " + platform,
          parameter);
      // targets too: one line gives each platform its file, e.g. /app/hello{exeSuffix} is /app/hello.exe on Windows
      files.add(new LayerFile(source, PlatformPlaceholders.expand(file.target(), platform, parameter),
          file.fileMode()));
    }
    LayerSpec expanded = new LayerSpec(spec.name(), files);
    // targets and clashes, before anything is written
    LayerBuilder.check(expanded, LayerFormat.forOs(platform.os()), parameter);
    return expanded;
  }

  private static Descriptor baseLayerInFamily(Descriptor layer, ImageFormat format, ResolvedBase base) {
    String mediaType = MediaTypes.layerInFamily(layer.mediaType(), format);
    return new Descriptor(mediaType, layer.digest(), layer.size(), null, layer.annotations(),
        layer.extraFields());
  }

  private static List<String> validateTags(List<String> tags) {
    if (tags.isEmpty()) {
      throw new InvalidInputException("tags", "no tags given; name at least one, e.g. "
          + InvalidInputException.param("tags", "1.0"));
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String tag : tags) {
      unique.add(ImageName.validateTag("tags", tag == null ? null : tag.trim()));
    }
    return List.copyOf(unique);
  }

  private static void validateAnnotations(BuildRequest request) {
    checkKeys(request.indexAnnotations(), "annotations");
    for (PlatformRequest p : request.platforms()) {
      checkKeys(p.annotations(), "platforms");
    }
    if (request.format() == ImageFormat.DOCKER) {
      if (!request.indexAnnotations().isEmpty()) {
        throw new InvalidInputException("annotations", "format docker (a Docker manifest list) cannot carry "
            + "annotations, and the index has " + String.join(", ", request.indexAnnotations().keySet())
            + "; use format oci, or remove them");
      }
      for (PlatformRequest p : request.platforms()) {
        if (!p.annotations().isEmpty()) {
          throw new InvalidInputException("platforms", "format docker (a Docker manifest list) cannot carry "
              + "annotations, and platform " + p.platform() + " has " + String.join(", ", p.annotations().keySet())
              + "; use format oci, or remove them");
        }
      }
    }
  }

  private static void checkKeys(Map<String, String> annotations, String parameter) {
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new InvalidInputException(parameter, "an annotation has an empty key");
      }
      if (e.getKey().equals(OciLayout.REF_NAME)) {
        throw new InvalidInputException(parameter, "annotation " + OciLayout.REF_NAME
            + " is reserved for tags in a layout's index.json; set tags instead");
      }
      if (e.getValue() == null) {
        throw new InvalidInputException(parameter, "annotation " + e.getKey() + " has no value");
      }
    }
  }

  /** {@code 8080} → {@code 8080/tcp}; refuses what is not a port, a range, or a protocol we know. */
  private static List<String> normalizePorts(List<String> ports) {
    List<String> normalized = new ArrayList<>();
    for (String port : ports) {
      String p = port == null ? "" : port.trim();
      var m = PORT.matcher(p);
      boolean valid = m.matches() && Integer.parseInt(m.group(1)) >= 1 && Integer.parseInt(m.group(1)) <= 65535
          && (m.group(3) == null || (Integer.parseInt(m.group(3)) >= Integer.parseInt(m.group(1))
          && Integer.parseInt(m.group(3)) <= 65535));
      if (!valid) {
        throw new InvalidInputException("container", "invalid port '" + port + "' in the ports; expected a port "
            + "1-65535 or a range, optionally with /tcp, /udp or /sctp, e.g. 8080 or 7000-7002/udp");
      }
      String protocol = m.group(5) == null ? "tcp" : m.group(5);
      if (m.group(3) == null) {
        normalized.add(Integer.parseInt(m.group(1)) + "/" + protocol); // 08080 → 8080
      } else {
        for (int i = Integer.parseInt(m.group(1)); i <= Integer.parseInt(m.group(3)); i++) {
          normalized.add(i + "/" + protocol);
        }
      }
    }
    return normalized;
  }

  private static void validateWorkingDirectory(ContainerSpec container) {
    if (container.workingDirectory() != null && !container.workingDirectory().isBlank()
        && !container.workingDirectory().startsWith("/")) {
      throw new InvalidInputException("container", "workingDirectory '" + container.workingDirectory()
          + "' must be an absolute path in the image, such as /app");
    }
    for (String volume : container.volumes()) {
      if (volume == null || !volume.startsWith("/") || volume.contains("/../") || volume.endsWith("/..")) {
        throw new InvalidInputException("container", "volume '" + volume + "' must be an absolute path in the "
            + "image without '..', such as /var/lib/app");
      }
    }
  }

  private static void applyContainer(ImageConfig config, ContainerSpec container, PlatformRequest platform,
      List<String> ports, String created) {
    List<String> entrypoint = platform.entrypoint() != null ? platform.entrypoint()
        : container.entrypoint(config.platform().os());
    if (entrypoint != null) {
      config.setEntrypoint(entrypoint);
    }
    List<String> cmd = platform.cmd() != null ? platform.cmd() : container.cmd();
    if (cmd != null) {
      config.setCmd(cmd);
    }
    if (!container.environment().isEmpty()) {
      Map<String, String> env = new LinkedHashMap<>(config.environment());
      env.putAll(container.environment());
      config.setEnvironment(env);
    }
    if (container.workingDirectory() != null && !container.workingDirectory().isBlank()) {
      config.setWorkingDirectory(container.workingDirectory());
    }
    if (container.user() != null && !container.user().isBlank()) {
      config.setUser(container.user());
    }
    config.addExposedPorts(ports);
    config.addVolumes(container.volumes());
    config.addLabels(container.labels());
  }
}
