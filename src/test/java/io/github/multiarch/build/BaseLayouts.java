package io.github.multiarch.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.layer.BuiltLayer;
import io.github.multiarch.layer.LayerBuilder;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes base images by hand into an OCI layout, the way other tools lay them out: an index per tag with
 * one manifest per platform, configs with Env and other run settings, real gzip tar layers.
 */
final class BaseLayouts {
  /** One image of a base. */
  record BaseImage(Platform platform, Descriptor manifest, ImageManifest model, ObjectNode config) {}

  private final OciLayout layout;
  private final Path scratch;
  private final Map<String, Descriptor> tags = new LinkedHashMap<>();
  private int counter;

  BaseLayouts(Path layoutDir, Path scratch) {
    this.layout = OciLayout.create(layoutDir);
    this.scratch = scratch;
  }

  OciLayout layout() {
    return layout;
  }

  Path root() {
    return layout.root();
  }

  /** Writes one image: {@code layerCount} layers with distinct content, a config naming the platform. */
  BaseImage image(Platform platform, ImageFormat format, int layerCount) {
    List<Descriptor> layers = new ArrayList<>();
    ObjectNode config = OciJson.object();
    config.put("created", "2024-01-01T00:00:00Z");
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (!platform.variant().isEmpty()) {
      config.put("variant", platform.variant());
    }
    if (!platform.osVersion().isEmpty()) {
      config.put("os.version", platform.osVersion());
    }
    ObjectNode run = config.putObject("config");
    ArrayNode env = run.putArray("Env");
    env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.add("BASE_PLATFORM=" + platform.slug());
    run.putArray("Cmd").add("/bin/sh");
    run.put("WorkingDir", "/base");
    run.put("StopSignal", "SIGTERM");
    run.putObject("ExposedPorts").putObject("22/tcp");
    run.putObject("Labels").put("base.label", platform.slug());
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    ArrayNode history = config.putArray("history");
    for (int i = 0; i < layerCount; i++) {
      BuiltLayer built = layer(platform.slug() + "-layer-" + i);
      layers.add(new Descriptor(format.layerMediaType(), built.digest(), built.size()));
      diffIds.add(built.diffId().toString());
      history.addObject().put("created", "2024-01-01T00:00:00Z").put("created_by", "base layer " + i);
    }
    Descriptor configDescriptor = layout.writeBlob(format.configMediaType(), OciJson.toBytes(config));
    ImageManifest manifest = new ImageManifest(format.manifestMediaType(), configDescriptor, layers, Map.of());
    Descriptor manifestDescriptor = layout.writeBlob(format.manifestMediaType(), manifest.toBytes());
    return new BaseImage(platform, manifestDescriptor, manifest, config);
  }

  /** An attestation manifest as BuildKit writes it (platform unknown/unknown). */
  Descriptor attestation(Descriptor subject) {
    Descriptor statement = layout.writeBlob("application/vnd.in-toto+json",
        "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}".getBytes());
    // BuildKit's attestation config: unknown/unknown, the statement as its only "layer"
    Descriptor config = layout.writeBlob(MediaTypes.OCI_CONFIG, ("{\"architecture\":\"unknown\",\"os\":\"unknown\","
        + "\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + statement.digest() + "\"]}}").getBytes());
    ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST, config, List.of(statement), Map.of());
    return layout.writeBlob(MediaTypes.OCI_MANIFEST, manifest.toBytes())
        .withPlatform(Platform.lenient("unknown", "unknown", null, null, null))
        .withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest",
            "vnd.docker.reference.digest", subject.digest().toString()));
  }

  /** Writes an index over {@code entries} and names it {@code tag} in index.json. */
  Descriptor index(String tag, ImageFormat format, List<Descriptor> entries) {
    ImageIndex index = new ImageIndex(format.indexMediaType(), entries, Map.of());
    Descriptor descriptor = layout.writeBlob(format.indexMediaType(), index.toBytes());
    tag(tag, descriptor);
    return descriptor;
  }

  static Descriptor entry(BaseImage image) {
    return image.manifest().withPlatform(image.platform());
  }

  /** Names {@code descriptor} (a manifest or an index) {@code tag} in index.json. */
  void tag(String tag, Descriptor descriptor) {
    tags.put(tag, descriptor.withPlatform(null).withAnnotations(Map.of(OciLayout.REF_NAME, tag)));
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, List.copyOf(tags.values()), Map.of()));
  }

  private BuiltLayer layer(String content) {
    try {
      Path dir = Files.createDirectories(scratch.resolve("layer-" + (counter++)));
      Path file = Files.writeString(dir.resolve("file.txt"), content);
      return new LayerBuilder(Instant.EPOCH).build(new LayerSpec(content,
          List.of(new LayerFile(file, "/base/" + content + ".txt", null))), layout, "test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
