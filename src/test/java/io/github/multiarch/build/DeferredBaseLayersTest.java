package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.image.BlobInputStream;
import io.github.multiarch.index.ImageSource;
import io.github.multiarch.index.ImageSources;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.DeferredBlobs;
import io.github.multiarch.layout.LayoutArchive;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.PushResult;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.SeveralTargets;
import io.github.multiarch.registry.UploadListener;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base layers a build leaves in their registry (baseLayers=defer): the layout lists them instead of holding
 * them; a push to that registry mounts them without downloading a byte; a push to another registry fetches
 * them from the recorded source, checked; every other reader is given the layout only once it is complete.
 * A real registry behind a stub that counts the base layers' bytes it serves.
 */
class DeferredBaseLayersTest {
  @TempDir
  static Path tmp;
  static TestRegistry origin;
  static TestRegistry other;
  static StubProxy stub;
  static String baseRef;
  static Set<Digest> baseLayers;
  /** Bytes of base layers the origin served (GET of a base layer blob), and how many such GETs. */
  static final AtomicLong baseBytesServed = new AtomicLong();
  static final List<String> baseLayerGets = Collections.synchronizedList(new ArrayList<>());
  static volatile Digest tampered;

  @BeforeAll
  static void pushBase() {
    origin = TestRegistry.builder("deferred-origin").start();
    other = TestRegistry.builder("deferred-other").start();
    BuildResult base = TestImages.build(tmp.resolve("base"), "1", List.of("linux/amd64", "linux/arm64"), "deferred",
        300_000);
    new LayoutPusher(client(origin.host()), EngineLog.NONE).push(new PushRequest(base.layout(), null,
        ImageName.parse("image", origin.host() + "/base/app"), List.of("1"), null, Map.of(), 2));
    baseLayers = new LinkedHashSet<>();
    base.images().forEach(image -> {
      Descriptor manifest = image.manifest();
      ImageManifest.parse(OciLayout.open(base.layout()).readBlob(manifest, OciJson.MAX_MANIFEST_BYTES),
          manifest.mediaType(), "base").layers().forEach(l -> baseLayers.add(l.digest()));
    });
    stub = StubProxy.start(origin.baseUrl());
    stub.rule((request, registry) -> {
      StubProxy.Response response = registry.forward(request);
      int at = request.path().indexOf("/blobs/sha256:");
      if (request.method().equals("GET") && at >= 0) {
        Digest digest = Digest.parse(request.path().substring(at + "/blobs/".length()));
        if (baseLayers.contains(digest)) {
          baseLayerGets.add(digest.toString());
          baseBytesServed.addAndGet(response.body() == null ? 0 : response.body().length);
          if (digest.equals(tampered) && response.body() != null && response.body().length > 0) {
            byte[] body = response.body().clone();
            body[body.length / 2] ^= 0x01; // the same size, another digest
            return response.withBody(body);
          }
        }
      }
      return response;
    });
    baseRef = stub.host() + "/base/app:1";
  }

  @AfterAll
  static void stop() {
    stub.close();
    origin.close();
    other.close();
  }

  @BeforeEach
  void reset() {
    baseBytesServed.set(0);
    baseLayerGets.clear();
    tampered = null;
  }

  static RegistryClient client(String host) {
    return new RegistryClient(host, null, origin.options().withInsecureRegistries(Set.of(host)), EngineLog.NONE);
  }

  private static BuildResult build(String out, boolean defer, boolean tarball) throws Exception {
    Path file = Files.writeString(tmp.resolve("app.txt"), "app");
    return new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1"), ImageFormat.OCI,
        baseRef, List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        PlatformRequest.of(Platform.parse("platforms", "linux/arm64"))),
        List.of(new LayerSpec("app", List.of(new LayerFile(file, "/app.txt", null)))), ContainerSpec.empty(),
        Map.of(), Instant.EPOCH, tmp.resolve(out), tarball, tmp, new RegistryAccess(DeferredBaseLayersTest::client,
        tmp.resolve(out + "-cache"), false, EngineLog.NONE, defer)));
  }

  /** Every blob of every image in the layout's index, base layers included. */
  private static List<Descriptor> blobsOf(OciLayout layout) {
    Descriptor top = layout.resolve("1");
    ImageIndex index = ImageIndex.parse(layout.readBlob(top, OciJson.MAX_MANIFEST_BYTES), top.mediaType(), "index");
    List<Descriptor> blobs = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      ImageManifest manifest = ImageManifest.parse(layout.readBlob(entry, OciJson.MAX_MANIFEST_BYTES),
          entry.mediaType(), "manifest");
      blobs.add(manifest.config());
      blobs.addAll(manifest.layers());
    }
    return blobs;
  }

  @Test
  void theBuildLeavesBaseLayersInTheirRegistryAndListsThemBesideIndexJson() throws Exception {
    BuildResult built = build("deferred", true, false);
    OciLayout layout = OciLayout.open(built.layout());
    assertEquals(List.of(), baseLayerGets, "the build downloaded base layers");
    Map<Digest, DeferredBlobs.Entry> missing = DeferredBlobs.missing(layout);
    assertEquals(baseLayers, missing.keySet());
    missing.values().forEach(e -> assertEquals(stub.host() + "/base/app", e.source()));
    for (Descriptor blob : blobsOf(layout)) {
      assertEquals(!baseLayers.contains(blob.digest()), layout.hasBlob(blob.digest()), blob.toString());
      if (baseLayers.contains(blob.digest())) {
        assertEquals(blob.size(), missing.get(blob.digest()).blob().size(), "the record's size is the manifest's");
      }
    }
    // the same image as a build that copies the layers: only where the bytes are differs
    BuildResult copied = build("copied", false, false);
    assertEquals(copied.index().digest(), built.index().digest());
    assertFalse(Files.exists(copied.layout().resolve(DeferredBlobs.FILE)));
    baseLayers.forEach(d -> assertTrue(OciLayout.open(copied.layout()).hasBlob(d)));
  }

  @Test
  void aTarballOutputNeverDefersAndAnIncompleteLayoutIsNeverWrittenAsATar() throws Exception {
    BuildResult deferred = build("tar", true, false);
    MultiarchException refused = assertThrows(MultiarchException.class,
        () -> LayoutArchive.write(OciLayout.open(deferred.layout()), tmp.resolve("incomplete.tar")));
    assertTrue(refused.getMessage().contains("lacks " + baseLayers.size() + " base layers"), refused.getMessage());
    assertFalse(Files.exists(tmp.resolve("incomplete.tar")));

    BuildResult tarred = build("tar-2", true, true);
    assertFalse(Files.exists(tarred.layout().resolve(DeferredBlobs.FILE)));
    baseLayers.forEach(d -> assertTrue(OciLayout.open(tarred.layout()).hasBlob(d)));
    assertTrue(Files.size(tarred.tarball()) > 300_000, "the tar holds the base layers");
  }

  @Test
  void severalTargetsInOneRunMountOnTheBaseRegistryAndFetchEachLayerOnceForAnother() throws Exception {
    BuildResult built = build("several-targets", true, false);
    List<ImageName> targets = List.of(ImageName.parse("image", stub.host() + "/derived-several/app"),
        ImageName.parse("image", other.host() + "/derived-several/app"));
    // as push wires it with additionalImages: a pusher per target, with clients for the registries layers are in
    List<SeveralTargets.Outcome<PushResult>> outcomes = SeveralTargets.push(targets, (target, earlier) ->
        new LayoutPusher(client(target.registry()), EngineLog.NONE, UploadListener.NONE, DeferredBaseLayersTest::client)
            .push(new PushRequest(built.layout(), null, target, List.of("1"), null,
                SeveralTargets.mountAllFrom(built.layout(), earlier, Map.of()), 2)));
    SeveralTargets.requireAll(outcomes, List.of("1"));
    assertEquals(baseLayers.size(), outcomes.get(0).result().mounted(), "the base's registry mounts them");
    assertEquals(0, outcomes.get(1).result().mounted());
    assertEquals(baseLayers.size(), baseLayerGets.size(), "each layer fetched once, for the other registry: "
        + baseLayerGets);
    assertEquals(Set.copyOf(baseLayerGets).size(), baseLayerGets.size());
    RegistryClient reader = client(other.host());
    assertEquals(built.index().digest(), reader.getManifest("derived-several/app", "1").orElseThrow().digest());
    for (Digest layer : baseLayers) { // every layer there, each checked against its digest while read
      reader.fetchBlob("derived-several/app", layer, tmp.resolve("several-" + layer.hex()));
    }
  }

  @Test
  void aPushToTheBaseRegistryMountsTheLayersAndDownloadsNothing() throws Exception {
    BuildResult built = build("same-registry", true, false);
    // no mount sources handed in: the layout's own record says where the layers are
    PushResult result = new LayoutPusher(client(stub.host()), EngineLog.NONE).push(new PushRequest(built.layout(),
        null, ImageName.parse("image", stub.host() + "/derived/app"), List.of("1"), null, Map.of(), 2));
    assertEquals(baseLayers.size(), result.mounted());
    assertEquals(0, baseBytesServed.get(), "base layer bytes were downloaded: " + baseLayerGets);
    long ownBytes = blobsOf(OciLayout.open(built.layout())).stream().filter(b -> !baseLayers.contains(b.digest()))
        .map(b -> Map.entry(b.digest(), b.size())).distinct().mapToLong(Map.Entry::getValue).sum();
    assertEquals(ownBytes, result.bytesUploaded());
    // the registry holds every blob under the new repository (each checked against its digest)
    RegistryClient reader = client(origin.host());
    for (Digest layer : baseLayers) {
      reader.fetchBlob("derived/app", layer, tmp.resolve("pulled-" + layer.hex()));
    }
  }

  @Test
  void aPushToAnotherRegistryFetchesTheLayersFromTheRecordedSourceAndUploadsThem() throws Exception {
    BuildResult built = build("other-registry", true, false);
    RegistryClient target = client(other.host());
    List<String> asked = Collections.synchronizedList(new ArrayList<>());
    PushResult result = new LayoutPusher(target, EngineLog.NONE, UploadListener.NONE, host -> {
      asked.add(host);
      return client(host);
    }).push(new PushRequest(built.layout(), null, ImageName.parse("image", other.host() + "/copied/app"),
        List.of("1"), null, Map.of(), 2));
    assertEquals(0, result.mounted());
    assertEquals(List.of(stub.host()), asked, "one client, for the recorded source");
    assertEquals(baseLayers.size(), baseLayerGets.size(), "each base layer downloaded once: " + baseLayerGets);
    long allBytes = blobsOf(OciLayout.open(built.layout())).stream().map(b -> Map.entry(b.digest(), b.size()))
        .distinct().mapToLong(Map.Entry::getValue).sum();
    assertEquals(allBytes, result.bytesUploaded(), "base layers uploaded with the rest");
    for (Digest layer : baseLayers) {
      target.fetchBlob("copied/app", layer, tmp.resolve("copied-" + layer.hex()));
    }
    assertTrue(target.getManifest("copied/app", "1").isPresent());
    assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().startsWith("multiarch-base-layer-")));
  }

  @Test
  void aTamperedSourceLayerIsRefusedAndNothingIsTagged() throws Exception {
    BuildResult built = build("tampered", true, false);
    tampered = baseLayers.iterator().next();
    RegistryClient target = client(other.host());
    MultiarchException e = assertThrows(MultiarchException.class, () -> new LayoutPusher(target, EngineLog.NONE,
        UploadListener.NONE, DeferredBaseLayersTest::client).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", other.host() + "/tampered/app"), List.of("1"), null, Map.of(), 2)));
    String message = fullMessage(e);
    assertTrue(message.contains("base layer " + tampered) && message.contains(stub.host() + "/base/app")
        && message.contains("does not match its digest"), message);
    assertTrue(target.getManifest("tampered/app", "1").isEmpty(), "a tag was pushed");
    assertFalse(target.blobExists("tampered/app", tampered));
  }

  @Test
  void everyOtherReaderIsGivenTheLayoutOnlyOnceItIsComplete() throws Exception {
    BuildResult built = build("readers", true, false);
    OciLayout layout = OciLayout.open(built.layout());
    assertFalse(DeferredBlobs.missing(layout).isEmpty());
    AtomicReference<Boolean> incompleteWhenAsked = new AtomicReference<>();
    Function<String, RegistryClient> clients = host -> {
      incompleteWhenAsked.set(!DeferredBlobs.missing(layout).isEmpty());
      return client(host);
    };
    // create, inspect and annotate read a layout through ImageSources: completed before the source exists
    ImageSource source = ImageSources.parse("sources", "oci-layout:" + built.layout() + ":1", tmp, tmp.resolve("w"),
        clients);
    assertEquals(Boolean.TRUE, incompleteWhenAsked.get(), "the source registry was not asked for the missing blobs");
    assertTrue(DeferredBlobs.missing(layout).isEmpty(), "handed out incomplete");
    assertFalse(Files.exists(built.layout().resolve(DeferredBlobs.FILE)), "the record outlived the completion");
    assertEquals(baseLayers.size(), baseLayerGets.size());
    for (Descriptor blob : blobsOf(layout)) { // the reader finds every blob, each checked
      try (BlobInputStream in = source.store().openBlob(blob, "blob")) {
        in.drain();
      }
    }

    // a build on that layout (a module's output as another's base) completes it the same way
    BuildResult second = build("readers-2", true, false);
    baseLayerGets.clear();
    BaseImage asBase = BaseImages.parse("from", "oci-layout:" + second.layout() + ":1", tmp, tmp.resolve("w2"),
        new RegistryAccess(DeferredBaseLayersTest::client, tmp.resolve("c2"), false, EngineLog.NONE, true));
    assertTrue(DeferredBlobs.missing(OciLayout.open(second.layout())).isEmpty());
    assertEquals(baseLayers.size(), baseLayerGets.size());
    ResolvedBase resolved = asBase.resolve(Platform.parse("platforms", "linux/arm64"), "from");
    assertFalse(resolved.layersDeferred(), "a local layout's layers are copied, never deferred");
  }

  @Test
  void aLayoutWhoseSourceCannotServeItIsNeverHandedOut() throws Exception {
    BuildResult built = build("unservable", true, false);
    tampered = baseLayers.iterator().next();
    MultiarchException e = assertThrows(MultiarchException.class, () -> ImageSources.parse("sources",
        "oci-layout:" + built.layout() + ":1", tmp, tmp.resolve("w3"), DeferredBaseLayersTest::client));
    assertTrue(fullMessage(e).contains("base layer " + tampered + " cannot be fetched from " + stub.host()
        + "/base/app"), fullMessage(e));
    OciLayout layout = OciLayout.open(built.layout());
    assertTrue(DeferredBlobs.missing(layout).containsKey(tampered), "the refused blob got into the layout");
    assertTrue(Files.exists(built.layout().resolve(DeferredBlobs.FILE)), "the record went before the layout was whole");

    // offline, nothing is fetched: refused, naming what to do
    MultiarchException offline = assertThrows(MultiarchException.class, () -> io.github.multiarch.image
        .LayoutCompletion.complete(layout, host -> {
          throw new AssertionError("an offline completion asked for a client");
        }, true, EngineLog.NONE));
    assertTrue(offline.getMessage().contains("offline") && offline.getMessage().contains("baseLayers=copy"),
        offline.getMessage());
  }

  @Test
  void anOfflineBuildDefersFromTheCachedManifestsAndConfigsAlone() throws Exception {
    BuildResult online = build("offline-first", true, false);
    Path cache = tmp.resolve("offline-first-cache");
    baseLayers.forEach(d -> assertFalse(OciLayout.open(cache).hasBlob(d), "a base layer entered the cache"));
    Path file = Files.writeString(tmp.resolve("app.txt"), "app");
    // the same cache, offline: no request, no client; the layers stay listed, not fetched
    BuildResult offline = new MultiPlatformBuilder(EngineLog.NONE).build(new BuildRequest(null, List.of("1"),
        ImageFormat.OCI, baseRef, List.of(PlatformRequest.of(Platform.parse("platforms", "linux/amd64")),
        PlatformRequest.of(Platform.parse("platforms", "linux/arm64"))),
        List.of(new LayerSpec("app", List.of(new LayerFile(file, "/app.txt", null)))), ContainerSpec.empty(),
        Map.of(), Instant.EPOCH, tmp.resolve("offline-second"), false, tmp, new RegistryAccess(host -> {
          throw new AssertionError("an offline build asked for a client");
        }, cache, true, EngineLog.NONE, true)));
    assertEquals(online.index().digest(), offline.index().digest());
    assertEquals(baseLayers, DeferredBlobs.missing(OciLayout.open(offline.layout())).keySet());
  }

  private static String fullMessage(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t.getMessage()).append(" | ");
    }
    return text.toString();
  }
}
