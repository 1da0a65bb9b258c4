package io.github.multiarch.maven;

import io.github.multiarch.Sizes;
import io.github.multiarch.build.BuildMetadata;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.ManifestSigner;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.PushResult;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryOptions;
import io.github.multiarch.registry.SeveralTargets;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Pushes the layout written by {@code build} to a registry: blobs first (skipping present ones, each
 * shared layer once), then each platform's manifest by digest, then the index under every tag.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractSigningMojo {

  /** The repository to push to, e.g. {@code registry.example.com/team/app}. Defaults to the build's image. */
  @Parameter(property = "multiarch.image")
  String image;

  /** Tags to push the index under. Defaults to the tags of the built layout. */
  @Parameter(property = "multiarch.tags")
  List<String> tags;

  /**
   * More repositories that get the same image with the same tags, e.g. a second registry or region:
   * {@code -Dmultiarch.additionalImages=registry-eu.example.com/team/app,backup.example.com/team/app}. Each
   * target uses its own credentials (looked up for its host, as for {@code image}); registries are pushed
   * side by side, each blob once per registry. A target that fails keeps its tags as they were, the others end
   * complete, and the build fails naming it (see docs/enterprise-registries.md).
   */
  @Parameter(property = "multiarch.additionalImages")
  List<String> additionalImages;

  /**
   * The layout to push: a build's output directory (holding {@code oci/}) or a layout directory; by default the
   * build's {@code outputDirectory}.
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
   * Also tag each platform's image, e.g. <code>{tag}-{platform}</code> gives {@code 1.0-linux-arm64},
   * <code>{tag}-{arch}{variant}</code> gives {@code 1.0-armv7}; every placeholder of {@code layers} works here.
   */
  @Parameter(property = "multiarch.platformTags")
  String platformTags;

  /**
   * Registries ({@code host[:port]}, as in the image name) that get the non-distributable ("foreign") layers
   * of a Windows base too, as Docker's {@code allow-nondistributable-artifacts} names them, e.g. for an
   * air-gapped registry. To any other registry such layers are only referred to: nodes fetch them from
   * their {@code urls}. {@code -Dmultiarch.allowNondistributableArtifacts=registry.example.com}.
   */
  @Parameter(property = "multiarch.allowNondistributableArtifacts")
  List<String> allowNondistributableArtifacts;

  /** The largest chunk of a chunked blob upload, in bytes (GHCR refuses more than 4 MiB). */
  @Parameter(property = "multiarch.chunkSize", defaultValue = "4194304")
  int chunkSize;

  /** How many blobs upload at once. */
  @Parameter(property = "multiarch.parallelUploads", defaultValue = "4")
  int parallelUploads;

  /** Skips this goal only. */
  @Parameter(property = "multiarch.skipPush", defaultValue = "false")
  boolean skipPush;

  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject project;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  MojoExecution mojoExecution;

  @Override
  protected void run() {
    if (skipPush) {
      getLog().info("multiarch: push skipped (multiarch.skipPush)");
      return;
    }
    InvalidInputException.checkRange("chunkSize", chunkSize, 1024, 1 << 30, "bytes (default 4194304: GHCR refuses "
        + "chunks over 4 MiB)");
    InvalidInputException.checkRange("parallelUploads", parallelUploads, 1, 64, "blobs at once (default 4)");
    RegistryOptions options = registryOptions().withChunking(chunkSize, chunkSize);
    CompletableFuture<ManifestSigner> signing = signerInBackground(); // read beside the layout
    try {
      push(options, signing);
    } finally {
      Parallel.awaitQuietly(signing); // nothing of this goal may still run once it has ended
    }
  }

  private void push(RegistryOptions options, CompletableFuture<ManifestSigner> signing) {
    // Meet the registry while the layout is read: on a cold JVM both are mostly class loading, and the
    // machine has more than one core (docs/benchmarks.md).
    Early early = image != null && !image.isBlank() && !isOffline() ? connectEarly(image, options) : null;
    Path layoutDir = layoutOrOutput(layout, outputDirectory).toPath();
    Path buildOutput = layoutOf(layoutDir).equals(layoutDir) ? null : layoutDir; // a build's output
    layoutDir = layoutOf(layoutDir);
    BuildMetadata metadata = buildOutput == null ? null : BuildMetadata.read(buildOutput).orElse(null);
    String imageText = image != null && !image.isBlank() ? image : metadata != null ? metadata.image() : null;
    if (imageText == null) {
      throw new InvalidInputException("image", "no image to push to; set <image> or -Dmultiarch.image, e.g. "
          + "registry.example.com/team/app");
    }
    ImageName target = ImageName.parse("image", imageText);
    if (target.digest() != null) {
      throw new InvalidInputException("image", "'" + imageText + "' holds a digest; push to a repository");
    }
    List<String> pushTags = new ArrayList<>();
    if (target.tag() != null) {
      pushTags.add(target.tag());
    }
    pushTags.addAll(givenTags(tags));
    OciLayout opened;
    try {
      opened = OciLayout.open(layoutDir);
    } catch (MultiarchException e) {
      throw new InvalidInputException("layout", e.getMessage() + "; run multiarch:build first (or point "
          + "-Dmultiarch.layout at a layout)", e);
    }
    if (buildOutput != null && project != null && mojoExecution != null) {
      // a build output left by an earlier build with another configuration is refused: the last build may
      // have failed, and a release must not push what the POM no longer says (naming the layout's oci/
      // directory itself pushes it anyway)
      checkBuildOutput(project, mojoExecution, buildOutput, "pushing", true);
    }
    if (pushTags.isEmpty()) {
      pushTags.addAll(opened.tags());
    }
    pushTags = List.copyOf(new LinkedHashSet<>(pushTags));
    List<String> allowForeign = nondistributableRegistries(allowNondistributableArtifacts);
    List<ImageName> targets = new ArrayList<>(List.of(target));
    targets.addAll(SeveralTargets.parse("additionalImages", additionalImages, target, pushTags));
    ManifestSigner signer = Parallel.await(signing);
    requireOnline("push to " + target.registry());
    String layoutTag = opened.tags().isEmpty() ? null : opened.tags().get(0);
    if (targets.size() > 1) {
      pushToSeveral(targets, early, options, layoutDir, layoutTag, pushTags, metadata, buildOutput, signer,
          allowForeign);
      return;
    }
    RegistryClient client = early != null ? early.await() : client(target.registry(), options);
    Map<Digest, String> mountSources = metadata == null ? Map.of() : metadata.mountSources(target.registry());
    // a base layer the build left in another registry than the target's is fetched from there and uploaded
    PushResult result = new LayoutPusher(client, engineLog(), uploadProgress(), this::sourceClient).push(
        new PushRequest(layoutDir, layoutTag, target, pushTags, platformTags, mountSources, parallelUploads, signer,
            allowForeign));
    logSummary(result);
    if (project != null) {
      project.setContextValue(BuildFingerprint.PUSHED_IN_SESSION, target.repositoryReference());
    }
    if (metadata != null) {
      metadata.withPush(BuildMetadata.Push.of(result)).write(buildOutput);
    }
  }

  /** {@code image} and {@code additionalImages}: see {@link SeveralTargets} for the order and what a failure leaves. */
  private void pushToSeveral(List<ImageName> targets, Early early, RegistryOptions options, Path layoutDir,
      String layoutTag, List<String> pushTags, BuildMetadata metadata, Path outputDirectory, ManifestSigner signer,
      List<String> allowForeign) {
    Map<String, RegistryClient> clients = new LinkedHashMap<>();
    if (early != null) {
      clients.put(targets.get(0).registry(), early.client()); // its own push pings again if the early ping failed
    }
    targets.forEach(t -> clients.computeIfAbsent(t.registry(), r -> client(r, options)));
    List<SeveralTargets.Outcome<PushResult>> outcomes = SeveralTargets.push(targets, (target, earlier) -> {
      Map<Digest, String> known = metadata == null ? Map.of() : metadata.mountSources(target.registry());
      // a base layer the build left in another registry than this target's is fetched from there and uploaded
      return new LayoutPusher(clients.get(target.registry()), engineLog(), uploadProgress(), this::sourceClient)
          .push(new PushRequest(layoutDir, layoutTag, target, pushTags, platformTags,
              SeveralTargets.mountAllFrom(layoutDir, earlier, known), parallelUploads, signer, allowForeign));
    });
    outcomes.stream().filter(SeveralTargets.Outcome::ok).forEach(o -> logSummary(o.result()));
    getLog().info(String.format(Locale.ROOT, "  %-50s %-9s %10s %8s %8s %8s", "TARGET", "RESULT", "UPLOADED",
        "BLOBS", "SKIPPED", "MOUNTED"));
    for (SeveralTargets.Outcome<PushResult> o : outcomes) {
      PushResult r = o.result();
      getLog().info(o.ok() ? String.format(Locale.ROOT, "  %-50s %-9s %10s %8d %8d %8d",
          o.target().repositoryReference(), "complete", Sizes.human(r.bytesUploaded()), r.uploaded(), r.skipped(),
          r.mounted()) : String.format(Locale.ROOT, "  %-50s %-9s %s", o.target().repositoryReference(), "FAILED",
          "tags not moved"));
    }
    SeveralTargets.Outcome<PushResult> primary = outcomes.get(0);
    if (primary.ok() && project != null) {
      project.setContextValue(BuildFingerprint.PUSHED_IN_SESSION, primary.target().repositoryReference());
    }
    if (primary.ok() && metadata != null) {
      metadata.withPush(BuildMetadata.Push.of(primary.result())).write(outputDirectory);
    }
    SeveralTargets.requireAll(outcomes, pushTags);
  }

  /** A client of a registry a base layer is fetched from; asked from the upload threads. */
  private synchronized RegistryClient sourceClient(String registry) {
    return client(registry, registryOptions());
  }

  /** Each entry as the registry of an image name spells it ({@code docker.io} and its aliases are one). */
  static List<String> nondistributableRegistries(List<String> configured) {
    List<String> registries = new ArrayList<>();
    for (String text : configured == null ? List.<String>of() : configured) {
      String host = text == null ? "" : text.trim();
      if (host.isEmpty() || host.contains("/") || host.contains("@")) {
        throw new InvalidInputException("allowNondistributableArtifacts", "'" + text + "' is not a registry; "
            + "list registries as host[:port], e.g. registry.example.com or localhost:5000");
      }
      registries.add(ImageName.parse("allowNondistributableArtifacts", host + "/x").registry());
    }
    return registries;
  }

  /** A client of the target's registry, pinged in the background. */
  private record Early(RegistryClient client, CompletableFuture<Void> ping) {
    RegistryClient await() {
      Parallel.await(ping);
      return client;
    }
  }

  /** {@code imageText} is the push target itself: {@code image} beats the build's metadata. */
  private Early connectEarly(String imageText, RegistryOptions options) {
    RegistryClient client = client(ImageName.parse("image", imageText).registry(), options);
    CompletableFuture<Void> ping = Parallel.start("multiarch-ping", () -> {
      client.ping();
      return null;
    });
    return new Early(client, ping);
  }

  private void logSummary(PushResult result) {
    getLog().info("multiarch: pushed " + result.repository());
    int platformWidth = Math.max(22, result.platforms().stream()
        .mapToInt(p -> p.platform() == null ? 1 : p.platform().describe().length()).max().orElse(0));
    String row = "  %-" + platformWidth + "s %-19s %10s %8s %8s %8s  %s";
    getLog().info(String.format(Locale.ROOT, row, "PLATFORM", "MANIFEST", "UPLOADED", "BLOBS", "SKIPPED",
        "MOUNTED", "TAGS"));
    for (PushResult.PlatformPush p : result.platforms()) {
      getLog().info(String.format(Locale.ROOT, row, p.platform() == null ? "-" : p.platform().describe(),
          "sha256:" + p.manifest().digest().shortHex(), Sizes.human(p.bytesUploaded()), p.uploaded(),
          p.skipped(), p.mounted(), String.join(", ", p.tags())));
    }
    getLog().info(String.format(Locale.ROOT, "  %-" + platformWidth + "s %s  tags: %s", "index", result.index().digest(),
        String.join(", ", result.tags())));
    getLog().info(String.format(Locale.ROOT, "  uploaded %s in %d blobs, %d already there, %d mounted",
        Sizes.human(result.bytesUploaded()), result.uploaded(), result.skipped(), result.mounted()));
    if (result.referrers() > 0 || result.signatures() > 0) {
      getLog().info(String.format(Locale.ROOT, "  %d attestations and signature bundles pushed as referrers; %d "
          + "manifests signed", result.referrers(), result.signatures()));
    }
  }
}
