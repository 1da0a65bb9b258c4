package io.github.multiarch.maven;

import io.github.multiarch.FileTrees;
import io.github.multiarch.image.Manifest;
import io.github.multiarch.image.RegistryStore;
import io.github.multiarch.index.AnnotateRequest;
import io.github.multiarch.index.ImageSource;
import io.github.multiarch.index.ImageSources;
import io.github.multiarch.index.IndexAnnotator;
import io.github.multiarch.layout.LayoutReference;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.Attachments;
import io.github.multiarch.registry.ManifestSigner;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.registry.Referrers;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Changes an existing index in a registry or a local layout — platform fields and annotations of entries,
 * annotations of the index, removal of entries — and writes back the index only.
 */
@Mojo(name = "annotate", requiresProject = false, threadSafe = true)
public class AnnotateMojo extends AbstractSigningMojo {
  /** The index: a registry reference with a tag, or {@code oci-layout:PATH:TAG}. */
  @Parameter(property = "multiarch.image")
  String image;

  /** Where to write the changed index: these tags (default: the tag of {@code image}). */
  @Parameter(property = "multiarch.tags")
  List<String> tags;

  /** Select entries by platform ({@code os/arch[/variant]}). */
  @Parameter(property = "multiarch.platforms")
  List<String> platforms;

  /** Select entries by manifest digest. */
  @Parameter(property = "multiarch.digests")
  List<String> digests;

  /** New {@code os} of the selected entries. */
  @Parameter(property = "multiarch.os")
  String os;

  /** New {@code architecture} of the selected entries. */
  @Parameter(property = "multiarch.architecture")
  String architecture;

  /** New {@code variant} of the selected entries. */
  @Parameter(property = "multiarch.variant")
  String variant;

  /** New {@code os.version} of the selected entries. */
  @Parameter(property = "multiarch.osVersion")
  String osVersion;

  /** New {@code os.features} of the selected entries. */
  @Parameter(property = "multiarch.osFeatures")
  List<String> osFeatures;

  /** Annotations to set on the selected entries, as {@code key=value}. */
  @Parameter(property = "multiarch.annotations")
  List<String> annotations;

  /** Annotation keys to remove from the selected entries. */
  @Parameter(property = "multiarch.removeAnnotations")
  List<String> removeAnnotations;

  /** Annotations to set on the index, as {@code key=value}. */
  @Parameter(property = "multiarch.indexAnnotations")
  List<String> indexAnnotations;

  /** Annotation keys to remove from the index. */
  @Parameter(property = "multiarch.removeIndexAnnotations")
  List<String> removeIndexAnnotations;

  /** Remove the selected entries. */
  @Parameter(property = "multiarch.removeEntries", defaultValue = "false")
  boolean removeEntries;

  /** Allow a platform that contradicts the entry's image config. */
  @Parameter(property = "multiarch.force", defaultValue = "false")
  boolean force;

  @Override
  protected void run() {
    if (image == null || image.isBlank()) {
      throw new InvalidInputException("image", "no index given; set -Dmultiarch.image=registry.example.com/app:TAG "
          + "or oci-layout:PATH:TAG");
    }
    List<Platform> selectPlatforms = new ArrayList<>();
    for (String p : platforms == null ? List.<String>of() : platforms) {
      selectPlatforms.add(Platform.parse("platforms", p));
    }
    List<Digest> selectDigests = new ArrayList<>();
    for (String d : digests == null ? List.<String>of() : digests) {
      if (!Digest.isValid(d.trim())) {
        throw new InvalidInputException("digests", "'" + d + "' is not a digest (sha256:<64 hex digits>)");
      }
      selectDigests.add(Digest.parse(d.trim()));
    }
    AnnotateRequest request = new AnnotateRequest(selectPlatforms, selectDigests, os, architecture, variant,
        osVersion, osFeatures, keyValues("annotations", annotations), removeAnnotations,
        keyValues("indexAnnotations", indexAnnotations), removeIndexAnnotations, removeEntries, force);
    Path workDir = FileTrees.createTempDirectory("multiarch-annotate-");
    CompletableFuture<ManifestSigner> signing = signerInBackground(); // read beside the index
    try {
      boolean layout = LayoutReference.isLayoutReference(image);
      if (!layout) {
        requireOnline("change " + image);
      }
      ImageSource source = ImageSources.parse("image", image, Path.of(System.getProperty("user.dir")), workDir,
          host -> client(host, registryOptions()), RegistryMirrors.none(), engineLog()); // the image it writes back
      Manifest top = source.top();
      if (!MediaTypes.isIndex(top.mediaType())) {
        throw new InvalidInputException("image", image + " is a single image (" + top.mediaType() + "), not an index");
      }
      ImageIndex changed = IndexAnnotator.annotate(ImageIndex.parse(top.bytes(), top.mediaType(), image), request,
          source);
      ManifestSigner signer = Parallel.await(signing); // a bad key or password is refused before anything changes
      byte[] bytes = changed.toBytes();
      Digest digest = Digest.sha256(bytes);
      List<String> targets = targetTags(source);
      if (signer != null) {
        signBeforeTagging(source, bytes, changed.mediaType(), signer);
      }
      source.store().tag(bytes, changed.mediaType(), targets);
      getLog().info("multiarch: " + image + " → " + digest + " (" + changed.manifests().size() + " entries), tags: "
          + String.join(", ", targets));
      Summary.logEntries(getLog(), changed.manifests());
      if (!changed.annotations().isEmpty()) {
        getLog().info("  index annotations: " + new java.util.TreeMap<>(changed.annotations()).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
      }
    } finally {
      Parallel.awaitQuietly(signing); // nothing of this goal may still run once it has ended
      FileTrees.deleteRecursively(workDir);
    }
  }

  /**
   * The changed index by digest, signed, before any tag names it: its children keep their signatures (their
   * digests do not change), the new index gets its own.
   */
  private void signBeforeTagging(ImageSource source, byte[] bytes, String mediaType, ManifestSigner signer) {
    if (!(source.store() instanceof RegistryStore registry)) {
      throw new InvalidInputException("signingKey", "a layout is signed when it is pushed; annotate it without "
          + "signingKey, then push it with signingKey");
    }
    RegistryClient client = registry.client();
    String repository = registry.name().repository();
    Descriptor descriptor = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
    client.putManifest(repository, descriptor.digest().toString(), bytes, mediaType);
    new Attachments(client, new Referrers(client, engineLog()), repository, registry.name().repositoryReference(),
        signer).attach(descriptor, List.of());
  }

  private List<String> targetTags(ImageSource source) {
    List<String> result = new ArrayList<>(givenTags(tags));
    if (result.isEmpty()) {
      String tag = source.tag();
      if (tag == null) {
        throw new InvalidInputException("tags", "the index was not named by a tag; say where the changed index "
            + "goes with -Dmultiarch.tags");
      }
      result.add(tag);
    }
    return result;
  }

  private static Map<String, String> keyValues(String parameter, List<String> pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : pairs == null ? List.<String>of() : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInputException(parameter, "'" + pair + "' is not key=value");
      }
      String key = pair.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw new InvalidInputException(parameter, "'" + pair + "' has an empty key");
      }
      if (key.equals(OciLayout.REF_NAME)) {
        throw new InvalidInputException(parameter, "annotation " + OciLayout.REF_NAME + " is reserved for tags in a "
            + "layout's index.json; name tags with -Dmultiarch.tags instead");
      }
      map.put(key, pair.substring(eq + 1));
    }
    return map;
  }
}
