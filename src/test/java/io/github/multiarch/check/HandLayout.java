package io.github.multiarch.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * OCI layouts written here field by field, so that they can hold what the builder never writes: an entry whose
 * config says another platform, layers escaping the root, Docker and OCI types mixed.
 */
final class HandLayout {
  final OciLayout layout;
  /** Changes each config before it is written (to make it disagree with its layers). */
  java.util.function.Consumer<ObjectNode> editConfig = c -> { };

  HandLayout(Path dir) {
    this.layout = OciLayout.create(dir);
  }

  /**
   * Writes an image: gzipped layers from {@code tars}, a config declaring {@code configPlatform}, a manifest; returns
   * its descriptor carrying {@code entryPlatform} (for the index).
   */
  Descriptor image(String entryPlatform, String configPlatform, List<byte[]> tars, List<String> entrypoint) {
    return image(entryPlatform, configPlatform, tars, entrypoint, MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG,
        MediaTypes.OCI_LAYER_GZIP);
  }

  Descriptor image(String entryPlatform, String configPlatform, List<byte[]> tars, List<String> entrypoint,
      String manifestType, String configType, String layerType) {
    Platform declared = Platform.parse("test", configPlatform);
    ObjectNode config = OciJson.object();
    config.put("architecture", declared.architecture());
    config.put("os", declared.os());
    if (!declared.variant().isEmpty()) {
      config.put("variant", declared.variant());
    }
    ObjectNode run = config.putObject("config");
    ArrayNode ep = run.putArray("Entrypoint");
    entrypoint.forEach(ep::add);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    ObjectNode manifest = OciJson.object();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", manifestType);
    ArrayNode layers = OciJson.object().putArray("x");
    for (byte[] tar : tars) {
      diffIds.add(Digest.sha256(tar).toString());
      layers.add(layout.writeBlob(layerType, Tars.gzip(tar)).toJson());
    }
    editConfig.accept(config);
    manifest.set("config", layout.writeBlob(configType, OciJson.toBytes(config)).toJson());
    manifest.set("layers", layers);
    Descriptor written = layout.writeBlob(manifestType, OciJson.toBytes(manifest));
    return written.withPlatform(Platform.parse("test", entryPlatform));
  }

  /** Writes an index over {@code entries}, named {@code tag} in index.json. */
  Descriptor index(String tag, List<Descriptor> entries) {
    return index(tag, entries, MediaTypes.OCI_INDEX);
  }

  Descriptor index(String tag, List<Descriptor> entries, String mediaType) {
    Descriptor index = layout.writeBlob(mediaType, new ImageIndex(mediaType, entries, Map.of()).toBytes());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(index.withAnnotations(Map.of(OciLayout.REF_NAME, tag))), Map.of()));
    return index;
  }
}
