package io.github.multiarch.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.PushResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build hands the goals after it and the CI steps that read {@code metadata.json}: the image, tags and
 * index it built, each platform's manifest and base, and, once pushed, where it went. Read and written here
 * only; the file's field names and order are a published format (docs/build.md).
 *
 * @param image the target repository, or null
 * @param tarball the layout tar, or null
 * @param push the last push of this output, or null
 */
public record BuildMetadata(String image, List<String> tags, String format, String mediaType, Digest indexDigest,
    long indexSize, String layout, String tarball, List<PlatformEntry> platforms, Push push) {

  /**
   * One platform's image.
   *
   * @param baseRepository the registry repository the base came from ({@code registry/repository}), or null
   * @param baseLayers the base's layers, which a push to that registry can mount
   */
  public record PlatformEntry(Platform platform, Digest manifestDigest, long manifestSize, Digest configDigest,
      int layers, long layersSize, String base, String baseRepository, List<Digest> baseLayers) {}

  /** Where the output was pushed, and what each platform was tagged with. */
  public record Push(String repository, List<String> tags, Digest indexDigest, String mediaType, long bytesUploaded,
      List<PushedPlatform> platforms) {

    public static Push of(PushResult result) {
      return new Push(result.repository(), result.tags(), result.index().digest(), result.index().mediaType(),
          result.bytesUploaded(), result.platforms().stream().map(p -> new PushedPlatform(p.platform(),
              p.manifest().digest(), p.tags())).toList());
    }
  }

  /** @param platform the platform, or null for an entry without one */
  public record PushedPlatform(Platform platform, Digest manifestDigest, List<String> tags) {}

  public BuildMetadata {
    tags = List.copyOf(tags);
    platforms = List.copyOf(platforms);
  }

  static BuildMetadata of(BuildRequest request, BuildResult result) {
    List<PlatformEntry> platforms = new ArrayList<>();
    for (BuildResult.PlatformImage image : result.images()) {
      platforms.add(new PlatformEntry(image.platform(), image.manifest().digest(), image.manifest().size(),
          image.configDigest(), image.layerCount(), image.layersSize(), image.base(), image.baseRepository(),
          image.baseRepository() == null ? List.of() : image.baseLayers()));
    }
    return new BuildMetadata(request.image(), result.tags(), request.format().toString(), result.index().mediaType(),
        result.index().digest(), result.index().size(), result.layout().toString(),
        result.tarball() == null ? null : result.tarball().toString(), platforms, null);
  }

  public BuildMetadata withPush(Push newPush) {
    return new BuildMetadata(image, tags, format, mediaType, indexDigest, indexSize, layout, tarball, platforms,
        newPush);
  }

  /** The first tag, or null. */
  public String firstTag() {
    return tags.isEmpty() ? null : tags.get(0);
  }

  /**
   * Base layers that came from a repository of {@code registry}, by digest, with that repository (without the
   * registry): a push there can mount them instead of uploading them.
   */
  public Map<Digest, String> mountSources(String registry) {
    Map<Digest, String> sources = new HashMap<>();
    String prefix = registry + "/";
    for (PlatformEntry p : platforms) {
      if (p.baseRepository() != null && p.baseRepository().startsWith(prefix)) {
        p.baseLayers().forEach(d -> sources.put(d, p.baseRepository().substring(prefix.length())));
      }
    }
    return sources;
  }

  /** The metadata of the build output in {@code outputDirectory}, if it has one. */
  public static Optional<BuildMetadata> read(Path outputDirectory) {
    Path file = outputDirectory.resolve(MultiPlatformBuilder.METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(OciJson.parseObject(Files.readAllBytes(file), file.toString()), file));
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(Path outputDirectory) {
    Path file = outputDirectory.resolve(MultiPlatformBuilder.METADATA_FILE);
    try {
      Files.write(file, OciJson.toPrettyBytes(toJson()));
    } catch (IOException e) {
      throw new MultiarchException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private ObjectNode toJson() {
    ObjectNode root = OciJson.object();
    if (image != null) {
      root.put("image", image);
    }
    strings(root.putArray("tags"), tags);
    root.put("format", format);
    root.put("mediaType", mediaType);
    root.put("indexDigest", indexDigest.toString());
    root.put("indexSize", indexSize);
    root.put("layout", layout);
    if (tarball != null) {
      root.put("tarball", tarball);
    }
    ArrayNode list = root.putArray("platforms");
    for (PlatformEntry e : platforms) {
      ObjectNode p = list.addObject();
      p.put("platform", e.platform().toString());
      p.put("os", e.platform().os());
      p.put("architecture", e.platform().architecture());
      if (!e.platform().variant().isEmpty()) {
        p.put("variant", e.platform().variant());
      }
      if (!e.platform().osVersion().isEmpty()) {
        p.put("osVersion", e.platform().osVersion());
      }
      p.put("manifestDigest", e.manifestDigest().toString());
      p.put("manifestSize", e.manifestSize());
      p.put("configDigest", e.configDigest().toString());
      p.put("layers", e.layers());
      p.put("layersSize", e.layersSize());
      p.put("base", e.base());
      if (e.baseRepository() != null) {
        p.put("baseRepository", e.baseRepository());
        strings(p.putArray("baseLayers"), e.baseLayers().stream().map(Digest::toString).toList());
      }
    }
    if (push != null) {
      ObjectNode node = root.putObject("push");
      node.put("repository", push.repository());
      strings(node.putArray("tags"), push.tags());
      node.put("indexDigest", push.indexDigest().toString());
      node.put("mediaType", push.mediaType());
      node.put("bytesUploaded", push.bytesUploaded());
      ArrayNode pushed = node.putArray("platforms");
      for (PushedPlatform p : push.platforms()) {
        ObjectNode entry = pushed.addObject();
        if (p.platform() != null) {
          entry.put("platform", p.platform().toString());
        }
        entry.put("manifestDigest", p.manifestDigest().toString());
        strings(entry.putArray("tags"), p.tags());
      }
    }
    return root;
  }

  private static BuildMetadata fromJson(JsonNode root, Path file) {
    try {
      List<PlatformEntry> platforms = new ArrayList<>();
      for (JsonNode p : root.path("platforms")) {
        Platform platform = Platform.lenient(p.path("os").asText(), p.path("architecture").asText(),
            p.path("variant").asText(""), p.path("osVersion").asText(""), List.of());
        List<Digest> baseLayers = new ArrayList<>();
        p.path("baseLayers").forEach(d -> baseLayers.add(Digest.parse(d.asText())));
        platforms.add(new PlatformEntry(platform, Digest.parse(p.path("manifestDigest").asText()),
            p.path("manifestSize").asLong(), Digest.parse(p.path("configDigest").asText()), p.path("layers").asInt(),
            p.path("layersSize").asLong(), p.path("base").asText(null),
            p.hasNonNull("baseRepository") ? p.get("baseRepository").asText() : null, baseLayers));
      }
      Push push = null;
      JsonNode node = root.path("push");
      if (node.isObject()) {
        List<PushedPlatform> pushed = new ArrayList<>();
        for (JsonNode p : node.path("platforms")) {
          pushed.add(new PushedPlatform(p.hasNonNull("platform") ? platform(p.get("platform").asText()) : null,
              Digest.parse(p.path("manifestDigest").asText()), texts(p.path("tags"))));
        }
        push = new Push(node.path("repository").asText(), texts(node.path("tags")),
            Digest.parse(node.path("indexDigest").asText()), node.path("mediaType").asText(),
            node.path("bytesUploaded").asLong(), pushed);
      }
      return new BuildMetadata(root.hasNonNull("image") ? root.get("image").asText() : null, texts(root.path("tags")),
          root.path("format").asText(), root.path("mediaType").asText(), Digest.parse(root.path("indexDigest").asText()),
          root.path("indexSize").asLong(), root.path("layout").asText(),
          root.hasNonNull("tarball") ? root.get("tarball").asText() : null, platforms, push);
    } catch (RuntimeException e) {
      throw new MultiarchException(file + " is not the metadata of a build (" + e.getMessage() + "); build again", e);
    }
  }

  /** {@code os/architecture[/variant]} as written, whatever its values (an attestation's unknown/unknown too). */
  private static Platform platform(String text) {
    String[] parts = text.split("/", 3);
    return Platform.lenient(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "", "", List.of());
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
