package io.github.multiarch.testing.it;

import static io.github.multiarch.testing.it.ItChecks.check;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mirror ITs (src/it/mirror-*): an origin registry holding a two-platform base, a distribution pull-through cache
 * of it ({@code proxy.remoteurl}) as the mirror, and a twin registry holding the same base for the build without a
 * mirror. What the plugin asked for is told apart in the access logs by its User-Agent (the JDK's
 * {@code Java-http-client}); the cache's own requests to the origin carry Go's.
 */
public final class MirrorIt {
  private static final String PLUGIN_AGENT = "\"Java-http-client/";

  private MirrorIt() {}

  /**
   * Starts the registries (kept as origin, mirror, twin), pushes the base to the origin and the twin, writes
   * build.properties (origin.host, mirror.host, twin.host and, without {@code registriesConf},
   * multiarch.insecureRegistries) and, with
   * {@code registriesConf}, registries.conf: the origin blocked, the mirror in its place, both over plain HTTP.
   */
  public static void setup(File basedir, boolean registriesConf) {
    TestRegistry origin = PushIt.keep(basedir, "origin", TestRegistry.builder("it-origin").accessLog().start());
    TestRegistry twin = PushIt.keep(basedir, "twin", TestRegistry.builder("it-twin").start());
    TestRegistry mirror = PushIt.keep(basedir, "mirror", TestRegistry.builder("it-mirror").accessLog()
        .proxyOf(origin.baseUrl()).start());
    BuildResult base = TestImages.build(new File(basedir, "base").toPath(), "1", List.of("linux/amd64", "linux/arm64"),
        "mirror-it-base", 50_000);
    for (TestRegistry registry : List.of(origin, twin)) {
      try (RegistryClient client = new RegistryClient(registry.host(), null, registry.options(), EngineLog.NONE)) {
        new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(base.layout(), null,
            ImageName.parse("image", registry.host() + "/base/app"), List.of("1"), null, Map.of(), 2));
      }
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("origin.host", origin.host());
    properties.put("mirror.host", mirror.host());
    properties.put("twin.host", twin.host());
    if (!registriesConf) {
      properties.put("multiarch.insecureRegistries", origin.host() + "," + mirror.host() + "," + twin.host());
    }
    PushIt.writeProperties(basedir, "build.properties", properties);
    PushIt.keep(basedir, "originMark", origin.log().length()); // the pushes above are the plugin's too
    if (registriesConf) {
      try {
        Files.writeString(new File(basedir, "registries.conf").toPath(), """
            # the CI runner's view: the origin is blocked, its pull-through cache serves it
            unqualified-search-registries = ["docker.io"]

            [[registry]]
            location = "%s"
            blocked = true

            [[registry.mirror]]
            location = "%s"
            insecure = true

            [[registry]]
            location = "%s"
            insecure = true
            """.formatted(origin.host(), mirror.host(), twin.host()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Checks the mirrored build (target/multiarch): every base blob in the mirror's access log as asked by the plugin,
   * nothing asked of the origin by it, the build log naming the mirror, and the image byte for byte the one built
   * without a mirror from the twin (target/direct).
   */
  public static void verify(File basedir) {
    TestRegistry origin = (TestRegistry) PushIt.kept(basedir, "origin");
    TestRegistry mirror = (TestRegistry) PushIt.kept(basedir, "mirror");
    OciLayout base = OciLayout.open(new File(basedir, "base/out/oci").toPath());
    List<Digest> blobs = new ArrayList<>();
    for (var entry : base.readIndexJson().manifests()) {
      var top = io.github.multiarch.oci.ImageIndex.parse(base.readBlob(entry, OciJson.MAX_MANIFEST_BYTES),
          entry.mediaType(), "base index");
      for (var child : top.manifests()) {
        ImageManifest manifest = ImageManifest.parse(base.readBlob(child, OciJson.MAX_MANIFEST_BYTES),
            child.mediaType(), "base manifest");
        blobs.add(manifest.config().digest());
        manifest.layers().forEach(l -> blobs.add(l.digest()));
      }
    }
    check(!blobs.isEmpty(), "the base has no blobs");
    String mirrorLog = mirror.log();
    for (Digest blob : blobs) {
      check(mirrorLog.lines().anyMatch(l -> l.contains("GET /v2/base/app/blobs/" + blob) && l.contains(" 200 ")
          && l.contains(PLUGIN_AGENT)), "the mirror did not serve base blob " + blob + " to the plugin:\n" + mirrorLog);
    }
    int mark = (Integer) PushIt.kept(basedir, "originMark");
    List<String> fromPlugin = origin.log().substring(mark).lines().filter(l -> l.contains(PLUGIN_AGENT)).toList();
    check(fromPlugin.isEmpty(), "the plugin read from the origin:\n" + String.join("\n", fromPlugin));
    String log = ItChecks.buildLog(basedir);
    check(log.contains("multiarch: " + origin.host() + "/base/app is read through mirror " + mirror.host()
        + "/base/app"), "the build log does not say the mirror served the base");
    check(log.contains("via mirror " + mirror.host() + "/base/app"), "the summary does not name the mirror");
    Map<String, Object> mirrored = PushIt.builtIndex(new File(basedir, "target/multiarch"));
    Map<String, Object> direct = PushIt.builtIndex(new File(basedir, "target/direct"));
    check(mirrored.get("digest").equals(direct.get("digest")), "the image built through the mirror ("
        + mirrored.get("digest") + ") is not the one built without it (" + direct.get("digest") + ")");
  }
}
