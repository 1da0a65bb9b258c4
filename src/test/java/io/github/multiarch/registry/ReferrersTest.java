package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.sign.CosignSigner;
import io.github.multiarch.sign.OpenSsl;
import io.github.multiarch.sign.SigningKey;
import io.github.multiarch.sign.SigstoreBundle;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts attached in a layout are pushed as OCI 1.1 referrers: through the referrers tag schema on
 * distribution 2.8 (which has no referrers API), keeping what other tools listed and surviving a concurrent
 * writer, and through the referrers API on a stub registry that has one, where no tag is written.
 */
class ReferrersTest {
  static final String SBOM_TYPE = "application/vnd.cyclonedx+json";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  static BuildResult built;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("referrers").start();
    stub = StubProxy.start(registry.baseUrl());
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm64"), "referrers", 1024);
    // an SBOM-like artifact for each child, listed in the layout as the build lists its attestations
    OciLayout layout = OciLayout.open(built.layout());
    List<Descriptor> entries = new ArrayList<>(layout.readIndexJson().manifests());
    for (BuildResult.PlatformImage image : built.images()) {
      Artifact sbom = sbom(image.manifest(), "sbom of " + image.platform());
      layout.writeArtifact(sbom);
      entries.add(OciLayout.referrerEntry(sbom, image.manifest().digest()));
    }
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of()));
  }

  @AfterAll
  static void stop() {
    if (stub != null) {
      stub.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void clear() {
    stub.clear();
    stub.rule(null);
  }

  static Artifact sbom(Descriptor subject, String text) {
    return Artifact.referrer(SBOM_TYPE, subject, List.of(new Artifact.Layer(SBOM_TYPE,
        ("{\"bomFormat\":\"CycloneDX\",\"note\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8), Map.of())),
        Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
  }

  static RegistryClient client() {
    return new RegistryClient(stub.host(), null, registry.options().withInsecureRegistries(Set.of(stub.host())),
        new CollectingLog());
  }

  static PushResult push(String repository) {
    CollectingLog log = new CollectingLog();
    return new LayoutPusher(client(), log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", stub.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
  }

  static ImageIndex referrersTag(String repository, Digest subject) {
    Tools.Result raw = Tools.skopeo("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/" + repository + ":" + Referrers.fallbackTag(subject));
    assertEquals(0, raw.exitCode(), raw.stderr());
    return ImageIndex.parse(raw.stdoutBytes(), null, "referrers tag");
  }

  @Test
  void withoutTheApiEachChildsReferrersTagListsItsSbom() {
    String repository = "multiarch-test/referrers-tag";
    PushResult result = push(repository);
    assertEquals(2, result.referrers());
    // whether the registry has the API is asked once for the repository, not for each of the two subjects
    assertEquals(1, stub.requests(repository).stream().filter(r -> r.path().contains("/referrers/")).count(),
        stub.requests().toString());
    for (BuildResult.PlatformImage image : built.images()) {
      ImageIndex tag = referrersTag(repository, image.manifest().digest());
      assertEquals(MediaTypes.OCI_INDEX, tag.mediaType());
      assertEquals(1, tag.manifests().size(), tag.manifests().toString());
      Descriptor entry = tag.manifests().get(0);
      assertEquals(SBOM_TYPE, OciJson.text(entry.extraFields(), "artifactType"));
      assertEquals("2026-01-01T00:00:00Z", entry.annotations().get("org.opencontainers.image.created"));
      // the referrer itself is in the registry, naming its subject
      Tools.Result manifest = Tools.skopeo("inspect", "--raw", "--tls-verify=false",
          "docker://" + registry.host() + "/" + repository + "@" + entry.digest());
      assertEquals(0, manifest.exitCode(), manifest.stderr());
      assertTrue(manifest.stdout().contains("\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
          + "\",\"digest\":\"" + image.manifest().digest()), manifest.stdout());
      assertEquals(List.of(entry.digest()), new Referrers(client(), new CollectingLog())
          .list(repository, image.manifest().digest()).stream().map(Descriptor::digest).toList());
    }
  }

  @Test
  void aPushThatFailsOnItsImagePutsNoReferrerManifest() {
    String repository = "multiarch-test/referrers-failed";
    // the second child's manifest is refused: the attestations' blobs may already be up (they go beside the
    // image's), but no referrer manifest may be put, and no tag written
    Digest refused = built.images().get(1).manifest().digest();
    stub.rule((request, upstream) -> request.method().equals("PUT") && request.path().endsWith("/manifests/" + refused)
        ? StubProxy.error(400, "MANIFEST_INVALID", "stub: refused")
        : upstream.forward(request));
    RuntimeException failure = assertThrows(RuntimeException.class,
        () -> push(repository));
    assertTrue(failure.getMessage().contains(refused.toString()), failure.getMessage());
    List<String> manifestPuts = stub.requests(repository).stream()
        .filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/")).map(StubProxy.Request::path)
        .toList();
    Set<String> children = Set.of("/v2/" + repository + "/manifests/" + built.images().get(0).manifest().digest(),
        "/v2/" + repository + "/manifests/" + refused);
    assertTrue(children.containsAll(manifestPuts), "only the children were tried: " + manifestPuts);
    assertTrue(stub.requests(repository).stream()
        .anyMatch(r -> r.method().equals("GET") && r.path().contains("/referrers/")),
        "what is attached was read beside the image's blobs: " + stub.requests());
  }

  @Test
  void anotherToolsReferrersStayAndARepeatedPushAddsNothing() {
    String repository = "multiarch-test/referrers-keep";
    Descriptor subject = built.images().get(0).manifest();
    // a referrer another tool pushed before us
    Artifact foreign = Artifact.referrer("application/vnd.example.other", subject,
        List.of(new Artifact.Layer("text/plain", "other".getBytes(StandardCharsets.UTF_8), Map.of())), Map.of());
    push(repository);
    Referrers referrers = new Referrers(client(), new CollectingLog());
    assertEquals(1, referrers.push(repository, subject.digest(), List.of(foreign)));
    assertEquals(2, referrersTag(repository, subject.digest()).manifests().size());

    stub.clear();
    PushResult again = push(repository);
    assertEquals(0, again.referrers(), "nothing new");
    List<Digest> listed = referrersTag(repository, subject.digest()).manifests().stream().map(Descriptor::digest)
        .toList();
    assertEquals(2, listed.size(), "no duplicate, the other tool's entry kept: " + listed);
    assertTrue(listed.contains(foreign.descriptor().digest()));
    assertEquals(0, stub.requests(repository).stream().filter(r -> r.method().equals("PUT")).count(),
        "nothing written again: " + stub.requests());
  }

  @Test
  void aConcurrentWriterThatDropsOurEntryIsNoticedAndTheTagIsWrittenAgain() {
    String repository = "multiarch-test/referrers-race";
    Descriptor subject = built.images().get(1).manifest();
    String tagPath = "/manifests/" + Referrers.fallbackTag(subject.digest());
    Artifact rival = Artifact.referrer("application/vnd.example.rival", subject,
        List.of(new Artifact.Layer("text/plain", "rival".getBytes(StandardCharsets.UTF_8), Map.of())), Map.of());
    byte[] rivalList = new ImageIndex(MediaTypes.OCI_INDEX, List.of(rival.descriptor()), Map.of()).toBytes();
    // the rival's manifest is in the registry (2.8 refuses an index naming a manifest it does not have)
    RegistryClient direct = client();
    rival.blobs().values().forEach(content -> direct.uploadBlobIfAbsent(repository, content));
    direct.putManifest(repository, rival.descriptor().digest().toString(), rival.manifestBytes(),
        MediaTypes.OCI_MANIFEST);
    AtomicBoolean raced = new AtomicBoolean();
    stub.rule((request, upstream) -> {
      StubProxy.Response answer = upstream.forward(request);
      if (request.method().equals("PUT") && request.path().endsWith(tagPath) && raced.compareAndSet(false, true)) {
        // another writer read the tag before our write and writes its own list just after it
        StubProxy.Response rivalPut = upstream.forward(new StubProxy.Request("PUT", request.path(), null,
            Map.of("Content-Type", List.of(MediaTypes.OCI_INDEX)), rivalList));
        assertEquals(201, rivalPut.status(), new String(rivalPut.body(), StandardCharsets.UTF_8));
      }
      return answer;
    });
    push(repository);
    assertTrue(raced.get(), "the race was staged");
    List<Digest> listed = referrersTag(repository, subject.digest()).manifests().stream().map(Descriptor::digest)
        .toList();
    assertTrue(listed.contains(rival.descriptor().digest()), "the other writer's entry is kept: " + listed);
    assertEquals(2, listed.size(), "ours was added back: " + listed);
    assertEquals(2, stub.requests(repository).stream()
        .filter(r -> r.method().equals("PUT") && r.path().endsWith(tagPath)).count(),
        "the tag was written twice: " + stub.requests());
  }

  @Test
  void aRegistryWithTheReferrersApiGetsNoTag() {
    String repository = "multiarch-test/referrers-api";
    playTheReferrersApi();
    PushResult result = push(repository);
    assertEquals(2, result.referrers());
    assertEquals(2, stub.requests(repository).stream().filter(r -> r.path().contains("/referrers/")).count(),
        "a registry with the API lists each subject's referrers: " + stub.requests());
    assertEquals(0, stub.requests(repository).stream().filter(r -> r.path().contains("/manifests/sha256-")).count(),
        "no referrers tag read or written: " + stub.requests());
    Digest subject = built.images().get(0).manifest().digest();
    List<Descriptor> listed = new Referrers(client(), new CollectingLog()).list(repository, subject);
    assertEquals(1, listed.size());
    assertEquals(SBOM_TYPE, OciJson.text(listed.get(0).extraFields(), "artifactType"));
  }

  @Test
  void signaturesOnARegistryWithTheReferrersApiAreListedThereWithNoReferrersTag() {
    String repository = "multiarch-test/referrers-api-signed";
    Map<String, List<Descriptor>> bySubject = playTheReferrersApi();
    SigningKey key = SigningKey.load(OpenSsl.p256(tmp, "api-signing.pem"), null, "signingKey");
    CollectingLog log = new CollectingLog();
    PushResult result = new LayoutPusher(client(), log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", stub.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2,
        new CosignSigner(key, CosignSigner.Format.BOTH, Instant.parse("2026-01-01T00:00:00Z"))));
    assertEquals(3, result.signatures(), "the index and both children");
    assertEquals(5, result.referrers(), "2 SBOMs and 3 bundles");
    Pattern referrersTag = Pattern.compile(".*/manifests/sha256-[0-9a-f]{64}");
    assertEquals(List.of(), stub.requests(repository).stream().filter(r -> referrersTag.matcher(r.path()).matches())
        .toList(), "no referrers tag read or written on a registry with the API");
    List<Digest> subjects = new ArrayList<>();
    built.images().forEach(image -> subjects.add(image.manifest().digest()));
    subjects.add(OciLayout.open(built.layout()).resolve("1.0").digest());
    for (Digest subject : subjects) {
      List<String> types = new ArrayList<>();
      new Referrers(client(), new CollectingLog()).list(repository, subject)
          .forEach(d -> types.add(OciJson.text(d.extraFields(), "artifactType")));
      assertTrue(types.contains(SigstoreBundle.BUNDLE_MEDIA_TYPE), subject + " lists its bundle: " + types);
      assertEquals(bySubject.get(subject.toString()).size(), types.size(), "what the API lists: " + types);
      // cosign 2's signature has no referrers form: its .sig tag is written whatever the registry supports
      assertEquals(1, stub.requests(repository).stream().filter(r -> r.method().equals("PUT")
          && r.path().endsWith("/manifests/" + Referrers.fallbackTag(subject) + ".sig")).count(),
          "the .sig tag of " + subject);
    }
  }

  /**
   * Makes the stub play a registry with the referrers API: it records each manifest's subject, answers the PUT
   * with {@code OCI-Subject}, and lists referrers at {@code /v2/<name>/referrers/<digest>}. Returns what it
   * recorded, by subject digest.
   */
  private static Map<String, List<Descriptor>> playTheReferrersApi() {
    Map<String, List<Descriptor>> bySubject = new ConcurrentHashMap<>();
    Pattern referrersPath = Pattern.compile("/v2/(.+)/referrers/(sha256:[0-9a-f]{64})");
    stub.rule((request, upstream) -> {
      Matcher list = referrersPath.matcher(request.path());
      if (request.method().equals("GET") && list.matches()) {
        byte[] body = new ImageIndex(MediaTypes.OCI_INDEX, bySubject.getOrDefault(list.group(2), List.of()),
            Map.of()).toBytes();
        return StubProxy.Response.of(200, new String(body, StandardCharsets.UTF_8), "Content-Type",
            MediaTypes.OCI_INDEX);
      }
      StubProxy.Response answer = upstream.forward(request);
      if (request.method().equals("PUT") && request.path().contains("/manifests/") && answer.status() == 201) {
        var manifest = OciJson.parseObject(request.body(), "manifest");
        if (manifest.has("subject")) {
          String subject = manifest.get("subject").get("digest").asText();
          Artifact artifact = Artifact.of(io.github.multiarch.oci.ImageManifest.parse(request.body(), null, "m"),
              Map.of());
          bySubject.computeIfAbsent(subject, k -> new ArrayList<>()).add(artifact.descriptor());
          return answer.withHeader("OCI-Subject", subject);
        }
      }
      return answer;
    });
    return bySubject;
  }
}
