package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-platform push over plain HTTP to a host opted in through insecureRegistries, checked with skopeo
 * (an independent client) and with our own client.
 */
class PlainHttpPushTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TAG = "1.0";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static String repository;
  static BuildResult built;
  static OciLayout layout;
  static byte[] indexBytes;
  static List<Descriptor> children;
  static PushResult first;
  static CollectingLog log = new CollectingLog();

  @BeforeAll
  static void pushOnce() {
    registry = TestRegistry.startDefault("plain");
    repository = registry.repository("plain");
    built = TestImages.build(tmp.resolve("image"), TAG, "v1");
    layout = OciLayout.open(built.layout());
    indexBytes = layout.readBlob(built.index(), OciJson.MAX_MANIFEST_BYTES);
    children = ImageIndex.parse(indexBytes, built.index().mediaType(), "index").manifests();
    first = push();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static RegistryClient client() {
    return new RegistryClient(registry.host(), registry.credential("the test environment"), registry.options(), log);
  }

  static PushResult push() {
    return new LayoutPusher(client(), log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", registry.host() + "/" + repository), List.of(TAG), "{tag}-{platform}", Map.of(), 4));
  }

  static String reference(String tag) {
    return "docker://" + registry.host() + "/" + repository + ":" + tag;
  }

  /** Every distinct blob of the layout's images, with the platforms using it. */
  static Map<Digest, Long> uniqueBlobs() {
    Map<Digest, Long> blobs = new LinkedHashMap<>();
    for (Descriptor child : children) {
      ImageManifest manifest = ImageManifest.parse(layout.readBlob(child, OciJson.MAX_MANIFEST_BYTES),
          child.mediaType(), "manifest");
      blobs.put(manifest.config().digest(), manifest.config().size());
      manifest.layers().forEach(l -> blobs.put(l.digest(), l.size()));
    }
    return blobs;
  }

  @Test
  void theFirstPushUploadsEveryBlobOnceAndASharedLayerOnlyOnce() {
    Map<Digest, Long> blobs = uniqueBlobs();
    // 1 shared layer + 3 platform layers + 3 configs
    assertEquals(7, blobs.size());
    assertEquals(7, first.uploaded(), "blobs uploaded");
    assertEquals(0, first.skipped());
    assertEquals(0, first.mounted());
    assertEquals(blobs.values().stream().mapToLong(Long::longValue).sum(), first.bytesUploaded());
    assertEquals(3, first.platforms().size());
    // the shared layer is counted with the first platform only: config + shared + own layer, then 2 each
    assertEquals(List.of(3, 2, 2), first.platforms().stream().map(PushResult.PlatformPush::uploaded).toList());
    assertEquals(first.uploaded(), first.platforms().stream().mapToInt(PushResult.PlatformPush::uploaded).sum());
    assertEquals(built.index().digest(), first.index().digest());
    assertEquals(List.of(TAG), first.tags());
  }

  @Test
  void plainHttpIsSpokenAsHttp11WithoutOfferingAnUpgrade() {
    try (StubProxy stub = StubProxy.start(registry.baseUrl())) {
      RegistryOptions options = registry.options().withInsecureRegistries(Set.of(stub.host()));
      new LayoutPusher(new RegistryClient(stub.host(), null, options, log), log).push(new PushRequest(built.layout(),
          null, ImageName.parse("image", stub.host() + "/" + repository + "-via-stub"), List.of(TAG), null, Map.of(),
          4));
      List<StubProxy.Request> requests = stub.requests();
      assertTrue(requests.stream().anyMatch(r -> r.method().equals("HEAD") || r.method().equals("GET")),
          "requests without a body, the ones the JDK would offer an upgrade in: " + requests);
      for (StubProxy.Request request : requests) {
        assertEquals(null, request.header("Upgrade"), "no h2c upgrade offered: " + request);
        assertEquals(null, request.header("HTTP2-Settings"), "no h2c upgrade offered: " + request);
      }
    }
  }

  @Test
  void skopeoReadsTheExactBytesOfTheIndex() {
    Tools.Result raw = Tools.skopeo(concat(List.of("inspect", "--raw"), registry.skopeoOptions(""),
        List.of(reference(TAG)))).check();
    assertArrayEquals(indexBytes, raw.stdoutBytes(), "skopeo inspect --raw must return the index blob exactly");
  }

  @Test
  void skopeoCopiesEveryPlatformAndVerifiesEveryDigest() throws IOException {
    Path target = tmp.resolve("copied");
    Tools.skopeo(concat(List.of("copy", "--all"), registry.skopeoOptions("src-"),
        List.of(reference(TAG), "oci:" + target + ":x"))).check();
    OciLayout copied = OciLayout.open(target);
    Descriptor top = copied.resolve("x");
    assertEquals(built.index().digest(), top.digest(), "skopeo copy --all keeps the index as it is");
    for (Descriptor child : children) {
      assertTrue(copied.hasBlob(child.digest()), "copied " + child.platform());
    }
    for (Digest blob : uniqueBlobs().keySet()) {
      assertTrue(Files.isRegularFile(copied.blobPath(blob)), "copied blob " + blob);
    }
  }

  @Test
  void skopeoChoosesTheRightChildForEachPlatform() throws IOException {
    assertChosen("linux/arm64", "arm64", null);
    assertChosen("linux/arm/v7", "arm", "v7");
    assertChosen("linux/amd64", "amd64", null);
  }

  /**
   * skopeo's {@code Digest} is the index's; the child it chose shows in its layers and in its config,
   * whose bytes ({@code --config --raw}) must be the child's config blob.
   */
  private void assertChosen(String platform, String arch, String variant) throws IOException {
    Descriptor child = childFor(platform);
    ImageManifest manifest = ImageManifest.parse(layout.readBlob(child, OciJson.MAX_MANIFEST_BYTES),
        child.mediaType(), "manifest");
    JsonNode inspected = JSON.readTree(skopeoFor(arch, variant, "inspect").stdout());
    assertEquals(built.index().digest().toString(), inspected.get("Digest").asText());
    assertEquals(arch, inspected.get("Architecture").asText(), platform);
    List<String> layers = new ArrayList<>();
    inspected.get("Layers").forEach(l -> layers.add(l.asText()));
    assertEquals(manifest.layers().stream().map(l -> l.digest().toString()).toList(), layers, platform);
    byte[] config = skopeoFor(arch, variant, "inspect", "--config", "--raw").stdoutBytes();
    assertEquals(manifest.config().digest(), Digest.sha256(config), platform + ": config of the chosen child");
    // copying without --all takes the chosen child alone, unchanged: its digest is the layout's image
    Path single = tmp.resolve("single-" + platform.replace('/', '-'));
    List<String> args = new ArrayList<>(List.of("--override-os", "linux", "--override-arch", arch));
    if (variant != null) {
      args.addAll(List.of("--override-variant", variant));
    }
    args.add("copy");
    args.addAll(registry.skopeoOptions("src-"));
    args.add(reference(TAG));
    args.add("oci:" + single + ":x");
    Tools.skopeo(args.toArray(String[]::new)).check();
    assertEquals(child.digest(), OciLayout.open(single).resolve("x").digest(), platform + ": the chosen child");
  }

  private Tools.Result skopeoFor(String arch, String variant, String... command) {
    List<String> args = new ArrayList<>(List.of("--override-os", "linux", "--override-arch", arch));
    if (variant != null) {
      args.addAll(List.of("--override-variant", variant));
    }
    args.addAll(List.of(command));
    args.addAll(registry.skopeoOptions(""));
    args.add(reference(TAG));
    return Tools.skopeo(args.toArray(String[]::new)).check();
  }

  private static Descriptor childFor(String platform) {
    Platform wanted = Platform.parse("platform", platform);
    return children.stream().filter(c -> wanted.equals(c.platform())).findFirst().orElseThrow();
  }

  @Test
  void aSecondPushUploadsNothing() {
    PushResult again = push();
    assertEquals(0, again.bytesUploaded());
    assertEquals(0, again.uploaded());
    assertEquals(7, again.skipped());
    assertEquals(0, again.mounted());
    assertEquals(built.index().digest(), again.index().digest());
  }

  @Test
  void eachPlatformGetsItsOwnTag() {
    RegistryClient client = client();
    Map<String, String> expected = Map.of(TAG + "-linux-amd64", "linux/amd64", TAG + "-linux-arm64",
        "linux/arm64", TAG + "-linux-arm-v7", "linux/arm/v7");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Descriptor child = childFor(e.getValue());
      Optional<RegistryClient.Manifest> manifest = client.getManifest(repository, e.getKey());
      assertTrue(manifest.isPresent(), "tag " + e.getKey() + " exists");
      assertEquals(child.digest(), manifest.get().digest(), e.getKey());
      assertArrayEquals(layout.readBlob(child, OciJson.MAX_MANIFEST_BYTES), manifest.get().bytes());
      assertEquals(child.mediaType(), manifest.get().mediaType());
    }
    for (PushResult.PlatformPush p : first.platforms()) {
      assertEquals(List.of(TAG + "-" + p.platform().slug()), p.tags());
    }
    assertFalse(client.getManifest(repository, TAG + "-linux-s390x").isPresent());
    // and the index under its tag, as exact bytes
    RegistryClient.Manifest index = client.getManifest(repository, TAG).orElseThrow();
    assertArrayEquals(indexBytes, index.bytes());
    assertEquals(built.index().mediaType(), index.mediaType());
  }

  static String[] concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all.toArray(String[]::new);
  }
}
