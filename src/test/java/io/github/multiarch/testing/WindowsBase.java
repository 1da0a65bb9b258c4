package io.github.multiarch.testing;

import io.github.multiarch.EngineLog;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A base image shaped like Microsoft's {@code nanoserver}/{@code servercore}, written into an OCI layout: a
 * Docker manifest list whose {@code windows/amd64} entries differ only in {@code os.version} (ltsc2019 and
 * ltsc2022), each image starting with a foreign layer (media type
 * {@code application/vnd.docker.image.rootfs.foreign.diff.tar.gzip}, {@code urls} on mcr.microsoft.com, a
 * digest of bytes stored nowhere) and one small real layer ({@code Files/}, {@code Hives/}); and a
 * {@code linux/amd64} entry, so that one base serves a mixed build. Reproducible: the same bytes every time.
 */
public final class WindowsBase {
  public static final String TAG = "ltsc";
  public static final List<String> OS_VERSIONS = List.of("10.0.17763.6054", "10.0.20348.2582");

  /** What was written. */
  public record Written(Path layout, Descriptor index, Map<String, Descriptor> windowsManifests,
      Map<String, Descriptor> foreignLayers, Descriptor linuxManifest) {
    /** {@code oci-layout:PATH:ltsc}. */
    public String reference() {
      return "oci-layout:" + layout + ":" + TAG;
    }
  }

  private WindowsBase() {}

  /** Writes the base into a new layout at {@code dir}, tagged {@value #TAG}. */
  public static Written write(Path dir) {
    return write(dir, null);
  }

  /**
   * As {@link #write(Path)}, with foreign layers that can be had: their content is {@link #foreignContent} and
   * their {@code urls} are {@code urlPrefix} followed by the digest (null: the unobtainable ones of
   * {@link #foreignLayer}).
   */
  public static Written write(Path dir, String urlPrefix) {
    OciLayout layout = OciLayout.create(dir);
    List<Descriptor> entries = new ArrayList<>();
    Map<String, Descriptor> manifests = new LinkedHashMap<>();
    Map<String, Descriptor> foreign = new LinkedHashMap<>();
    for (String version : OS_VERSIONS) {
      Platform platform = Platform.of("platform", "windows", "amd64", "", version, List.of());
      Descriptor foreignLayer = urlPrefix == null ? foreignLayer(version) : obtainableForeignLayer(version, urlPrefix);
      byte[] real = layer(List.of("Files/", "Files/Windows/", "Files/Windows/win.ini", "Hives/",
          "Hives/Software_Delta"), "windows " + version);
      Descriptor realLayer = layout.writeBlob(MediaTypes.DOCKER_LAYER_GZIP, real);
      ImageConfig config = ImageConfig.scratch(platform);
      config.addLayer(Digest.sha256("diff of the foreign layer of " + version), "Apply image " + version, "2024-07-09T00:00:00Z");
      config.addLayer(diffId(real), "Install update " + version, "2024-07-09T00:00:00Z");
      Descriptor configDescriptor = layout.writeBlob(MediaTypes.DOCKER_CONFIG, config.toBytes());
      ImageManifest manifest = new ImageManifest(MediaTypes.DOCKER_MANIFEST, configDescriptor,
          List.of(foreignLayer, realLayer), Map.of());
      Descriptor written = layout.writeBlob(MediaTypes.DOCKER_MANIFEST, manifest.toBytes()).withPlatform(platform);
      entries.add(written);
      manifests.put(version, written);
      foreign.put(version, foreignLayer);
    }
    Platform linux = Platform.parse("platform", "linux/amd64");
    byte[] linuxLayer = layer(List.of("etc/", "etc/os-release"), "linux");
    Descriptor linuxLayerDescriptor = layout.writeBlob(MediaTypes.DOCKER_LAYER_GZIP, linuxLayer);
    ImageConfig linuxConfig = ImageConfig.scratch(linux);
    linuxConfig.addLayer(diffId(linuxLayer), "base", "2024-07-09T00:00:00Z");
    Descriptor linuxConfigDescriptor = layout.writeBlob(MediaTypes.DOCKER_CONFIG, linuxConfig.toBytes());
    Descriptor linuxManifest = layout.writeBlob(MediaTypes.DOCKER_MANIFEST, new ImageManifest(
        MediaTypes.DOCKER_MANIFEST, linuxConfigDescriptor, List.of(linuxLayerDescriptor), Map.of()).toBytes())
        .withPlatform(linux);
    entries.add(linuxManifest);
    Descriptor index = layout.writeBlob(MediaTypes.DOCKER_LIST,
        new ImageIndex(MediaTypes.DOCKER_LIST, entries, Map.of()).toBytes());
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX,
        List.of(index.withAnnotations(Map.of(OciLayout.REF_NAME, TAG))), Map.of()));
    return new Written(dir, index, manifests, foreign, linuxManifest);
  }

  /** Writes the base and pushes it to {@code registry} as {@code repository:ltsc}, its foreign layers left out. */
  public static Written writeAndPush(Path dir, TestRegistry registry, String repository) {
    Written written = write(dir);
    RegistryClient client = new RegistryClient(registry.host(), null,
        registry.options().withInsecureRegistries(Set.of(registry.host())), EngineLog.NONE);
    new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(dir, TAG,
        ImageName.parse("image", registry.host() + "/" + repository), List.of(TAG), null, Map.of(), 2));
    return written;
  }

  /**
   * The descriptor of a foreign layer as Microsoft's manifests have it: media type, size, digest and a
   * {@code urls} list. Its bytes exist nowhere: nothing may ever need them.
   */
  public static Descriptor foreignLayer(String version) {
    byte[] never = ("the foreign base layer of Windows " + version + ", never stored")
        .getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(never);
    ObjectNode extra = OciJson.object();
    extra.putArray("urls").add("https://mcr.microsoft.com/v2/windows/nanoserver/blobs/" + digest);
    return new Descriptor(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP, digest, 123_456_789L, null, Map.of(), extra);
  }

  /** The bytes of the obtainable foreign layer of {@code version} (see {@link #write(Path, String)}). */
  public static byte[] foreignContent(String version) {
    return layer(List.of("Files/", "Files/Windows/", "Files/Windows/System32/", "Files/Windows/System32/ntdll.dll",
        "Hives/"), "foreign " + version);
  }

  private static Descriptor obtainableForeignLayer(String version, String urlPrefix) {
    byte[] content = foreignContent(version);
    Digest digest = Digest.sha256(content);
    ObjectNode extra = OciJson.object();
    extra.putArray("urls").add(urlPrefix + digest);
    return new Descriptor(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP, digest, content.length, null, Map.of(), extra);
  }

  private static byte[] layer(List<String> names, String content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      for (String name : names) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(0);
        byte[] data = name.endsWith("/") ? new byte[0] : (content + "\n").getBytes(StandardCharsets.UTF_8);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Digest diffId(byte[] gzipped) {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
      return Digest.sha256(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
