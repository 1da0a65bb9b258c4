package io.github.multiarch.maven;

import io.github.multiarch.FileTrees;
import io.github.multiarch.index.CreateRequest;
import io.github.multiarch.index.ImageSource;
import io.github.multiarch.index.ImageSources;
import io.github.multiarch.index.IndexCreator;
import io.github.multiarch.index.SourceSpec;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.ManifestSigner;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import io.github.multiarch.registry.SeveralTargets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Assembles an index from images that already exist — per-architecture tags or digests, possibly built on
 * different machines or held in other repositories or local layouts — and pushes it: each entry's platform
 * read from its image config, children copied into the target repository as exact bytes first, then the
 * index under every tag.
 */
@Mojo(name = "create", requiresProject = false, threadSafe = true)
public class CreateMojo extends AbstractSigningMojo {
  /** The repository (and optionally tag) to push the index to, e.g. {@code registry.example.com/app:1.0}. */
  @Parameter(property = "multiarch.image")
  String image;

  /** Tags for the index, besides a tag written in {@code image}. Defaults to the project version. */
  @Parameter(property = "multiarch.tags")
  List<String> tags;

  /**
   * More repositories that get the same index with the same tags, e.g. a second registry:
   * {@code -Dmultiarch.additionalImages=backup.example.com/team/app}. Each uses its own credentials; the
   * targets are written one after another, and one that fails keeps its tags as they were while the others
   * end complete (see docs/enterprise-registries.md). With {@code amend}, each target amends its own index.
   */
  @Parameter(property = "multiarch.additionalImages")
  List<String> additionalImages;

  /**
   * The images to join: registry references (tag or digest), {@code oci-layout:PATH[:TAG]} or
   * {@code oci-archive:PATH[:TAG]}; as text, or elements with {@code ref}, {@code platform} and
   * {@code annotations}. A source that is an index contributes all its entries.
   * {@code -Dmultiarch.sources=ref1,ref2}.
   */
  @Parameter(property = "multiarch.sources")
  List<SourceConfig> sources;

  /** Only these platforms are taken from sources that are indexes (default: all). */
  @Parameter(property = "multiarch.platforms")
  List<String> platforms;

  /** {@code oci} (an OCI image index; may hold Docker v2 children) or {@code docker} (only Docker children). */
  @Parameter(property = "multiarch.format", defaultValue = "oci")
  String format;

  /** When the tag exists: replace the same platforms' entries of its index and keep the others. */
  @Parameter(property = "multiarch.amend", defaultValue = "false")
  boolean amend;

  /** Allow two sources for one platform. */
  @Parameter(property = "multiarch.allowDuplicates", defaultValue = "false")
  boolean allowDuplicates;

  /** Annotations of the index (OCI format only). */
  @Parameter
  Map<String, String> annotations;

  /**
   * Mirrors to read registry sources from, per registry, each tried in order before the registry itself (which is still
   * asked last): {@code <mirror><registry>docker.io</registry><mirrors><mirror>mirror.example.com</mirror>
   * </mirrors></mirror>}, as Jib writes it. The mirrors of the containers {@code registries.conf}
   * ({@code CONTAINERS_REGISTRIES_CONF}, {@code ~/.config/containers/registries.conf},
   * {@code /etc/containers/registries.conf}) are tried after these. Pushes never go to a mirror. See
   * docs/enterprise-registries.md.
   */
  @Parameter
  List<RegistryMirror> registryMirrors;

  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject project;

  @Override
  protected void run() {
    if (image == null || image.isBlank()) {
      throw new InvalidInputException("image", "no target; set -Dmultiarch.image=registry.example.com/team/app:TAG");
    }
    ImageName target = ImageName.parse("image", image);
    if (target.digest() != null) {
      throw new InvalidInputException("image", "'" + image + "' holds a digest; name a repository and tag");
    }
    List<String> allTags = new ArrayList<>();
    if (target.tag() != null) {
      allTags.add(target.tag());
    }
    allTags.addAll(givenTags(tags));
    if (allTags.isEmpty() && project != null && project.getFile() != null) {
      allTags.add(project.getVersion());
    }
    if (allTags.isEmpty()) {
      throw new InvalidInputException("tags", "no tag for the index; write one in -Dmultiarch.image=REPO:TAG or "
          + "give -Dmultiarch.tags");
    }
    List<SourceSpec> specs = new ArrayList<>();
    for (SourceConfig source : sources == null ? List.<SourceConfig>of() : sources) {
      if (source.ref == null || source.ref.isBlank()) {
        throw new InvalidInputException("sources", "a <source> has no reference");
      }
      Platform platform = source.platform == null || source.platform.isBlank() ? null
          : Platform.parse("sources", source.platform);
      specs.add(new SourceSpec(source.ref.trim(), platform, source.annotations));
    }
    List<Platform> filter = new ArrayList<>();
    if (platforms != null) {
      platforms.stream().filter(p -> p != null && !p.isBlank()).forEach(p -> filter.add(Platform.parse("platforms", p)));
    }
    ImageFormat imageFormat = ImageFormat.parse("format", format);
    List<String> indexTags = List.copyOf(new LinkedHashSet<>(allTags));
    List<ImageName> targets = new ArrayList<>(List.of(target));
    targets.addAll(SeveralTargets.parse("additionalImages", additionalImages, target, indexTags));
    requireOnline("push to " + target.registry());
    Path basedir = project != null && project.getBasedir() != null ? project.getBasedir().toPath()
        : Path.of(System.getProperty("user.dir"));
    Path workDir = FileTrees.createTempDirectory("multiarch-create-");
    CompletableFuture<ManifestSigner> signing = signerInBackground(); // read beside the sources
    // each target's copy waits for the signer once its sources are read, before it writes anything
    Supplier<ManifestSigner> signer = signingKey == null ? null : () -> Parallel.await(signing);
    try {
      // asked from the threads that read the sources side by side (a mirror's client when it is first contacted)
      Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
      RegistryMirrors mirrors = readMirrors(registryMirrors);
      List<ImageSource> imageSources = new ArrayList<>();
      for (SourceSpec spec : specs) {
        imageSources.add(ImageSources.parse("sources", spec.reference(), basedir, workDir,
            host -> clients.computeIfAbsent(host, h -> client(h, registryOptions())), mirrors, engineLog()));
      }
      targets.forEach(t -> clients.computeIfAbsent(t.registry(), h -> client(h, registryOptions())));
      // one target after another: the sources' stores are read again for each and are not shared across threads
      List<SeveralTargets.Outcome<IndexCreator.Result>> outcomes = SeveralTargets.push(targets, false, (t, e) -> {
        CreateRequest request = new CreateRequest(t, indexTags, specs, imageFormat, amend, allowDuplicates, filter,
            annotations, signer);
        IndexCreator.Result result = new IndexCreator(clients.get(t.registry()), engineLog(), uploadProgress())
            .create(request, imageSources);
        getLog().info("multiarch: created " + t.repositoryReference() + " " + result.index().digest());
        result.table(request.tags()).forEach(line -> getLog().info(line));
        return result;
      });
      if (targets.size() > 1) {
        outcomes.forEach(o -> getLog().info(String.format(java.util.Locale.ROOT, "  %-50s %s",
            o.target().repositoryReference(), o.ok() ? "complete " + o.result().index().digest()
            : "FAILED, tags not moved")));
      }
      SeveralTargets.requireAll(outcomes, indexTags);
    } finally {
      Parallel.awaitQuietly(signing); // nothing of this goal may still run once it has ended
      FileTrees.deleteRecursively(workDir);
    }
  }
}
