package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What registries refuse by a rule of their own, each modelled by the stub in front of a real registry as
 * Harbor, ECR or GitLab answer it: the push fails with a message that names the rule and what to do (and the
 * tag stays where it was), or — for a refused or ignored mount — goes on by uploading the blob once.
 */
class RefusalsTest {
  static final String TAG = "1.0";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static StubProxy stub;
  final CollectingLog log = new CollectingLog();

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("refusals").start();
    stub = StubProxy.start(registry.baseUrl());
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
  void reset() {
    stub.rule(StubProxy.PASS_THROUGH);
    stub.clear();
  }

  static BuildResult image(String name, String seed) {
    return TestImages.build(tmp.resolve(name), TAG, List.of("linux/amd64", "linux/arm64"), seed, 0);
  }

  PushResult push(BuildResult built, String repository, Map<Digest, String> mountSources) {
    RegistryClient client = new RegistryClient(stub.host(), null,
        registry.options().withInsecureRegistries(Set.of(stub.host())), log);
    return new LayoutPusher(client, log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", stub.host() + "/" + repository), List.of(TAG), null, mountSources, 2));
  }

  /** Requests about {@code repository} that {@code which} selects (see {@link StubProxy#requests(String)}). */
  long count(String repository, Predicate<StubProxy.Request> which) {
    return stub.requests(repository).stream().filter(which).count();
  }

  static Digest tagged(String repository) {
    RegistryClient direct = new RegistryClient(registry.host(), null, registry.options(), new CollectingLog());
    return direct.headManifest(repository, TAG).map(d -> d.digest()).orElse(null);
  }

  // ------------------------------------------------------------------------------------- immutable tags

  @Test
  void harborsImmutableTagIsNamedWithItsRuleAndTheTagStays() {
    immutableTagRefused("it/harbor-immutable", StubProxy::harborImmutable, "configured as immutable");
  }

  @Test
  void ecrsImmutableRepositoryIsNamedWithItsRuleAndTheTagStays() {
    immutableTagRefused("it/ecr-immutable", StubProxy::ecrImmutable, "cannot be overwritten");
  }

  void immutableTagRefused(String repository, java.util.function.BiFunction<String, String, StubProxy.Response> rule,
      String registryWords) {
    BuildResult v1 = image(repository.replace('/', '-') + "-v1", "immutable 1 " + repository);
    push(v1, repository, Map.of());
    stub.rule(StubProxy.immutableTags(rule));

    // the same image again: the tag already names it, so it is not written, and an immutable registry is content
    stub.clear();
    push(v1, repository, Map.of());
    assertEquals(0, count(repository, r -> r.method().equals("PUT") && r.path().endsWith("/manifests/" + TAG)),
        "the unchanged tag was written again");

    BuildResult v2 = image(repository.replace('/', '-') + "-v2", "immutable 2 " + repository);
    RegistryException e = assertThrows(RegistryException.class, () -> push(v2, repository, Map.of()));
    assertEquals(RegistryException.Kind.IMMUTABLE_TAG, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("refused to move the tag '" + TAG + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(registryWords), "the registry's own rule is quoted: " + e.getMessage());
    assertTrue(e.getMessage().contains("push under a new tag"), e.getMessage());
    assertFalse(e.isRetryable());
    assertEquals(v1.index().digest(), tagged(repository), "the tag moved");
    assertEquals(1, count(repository, r -> r.method().equals("PUT") && r.path().endsWith("/manifests/" + TAG)),
        "an immutable tag is refused once, not retried");
  }

  // ------------------------------------------------------------------------------- missing repository

  @Test
  void aRepositoryThatMustExistFirstIsNamedAndNothingIsTagged() {
    String repository = "it/ecr-missing";
    stub.rule(StubProxy.missingRepository(repository));
    RegistryException e = assertThrows(RegistryException.class, () -> push(image("missing", "missing"), repository,
        Map.of()));
    assertEquals(RegistryException.Kind.REPOSITORY_MISSING, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("has no repository " + repository), e.getMessage());
    assertTrue(e.getMessage().contains("Create the repository first"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist in the registry with id"), "quotes the registry: "
        + e.getMessage());
    assertEquals(0, count(repository, r -> r.method().equals("PUT") && r.path().contains("/manifests/")),
        "a manifest was sent");
  }

  // ---------------------------------------------------------------------------------------------- quotas

  @Test
  void harborsQuotaIsQuotedAndNotRetried() {
    quotaRefused("it/harbor-quota", StubProxy.harborQuota(), "will exceed the configured upper limit of 10.0 MiB");
  }

  @Test
  void aFullStorage507IsQuotedAndNotRetried() {
    quotaRefused("it/gitlab-quota", StubProxy.storageFull(), "storage quota has been exceeded");
  }

  @Test
  void a413PayloadTooLargeIsAQuotaToo() {
    quotaRefused("it/too-large", StubProxy.Response.of(413, ""), "HTTP 413 Payload Too Large");
  }

  void quotaRefused(String repository, StubProxy.Response answer, String quoted) {
    stub.rule(StubProxy.quotaOnUploads(answer));
    RegistryException e = assertThrows(RegistryException.class, () -> push(image(repository.replace('/', '-'),
        repository), repository, Map.of()));
    assertEquals(RegistryException.Kind.QUOTA_EXCEEDED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(answer.status() == 413 ? "over a size limit" : "over a quota"), e.getMessage());
    assertTrue(e.getMessage().contains(quoted), "the registry's message is quoted: " + e.getMessage());
    // neither the quota nor a request of another blob that the failure cut short is tried again: the push stops
    assertTrue(log.lines().stream().noneMatch(l -> l.contains("retrying")), "a request was retried:\n" + log.text());
    List<String> blobPuts = stub.requests(repository).stream()
        .filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/"))
        .map(r -> r.query().replaceAll(".*digest=([^&]*).*", "$1")).toList(); // each session has its own _state
    assertFalse(blobPuts.isEmpty());
    assertEquals(blobPuts.size(), Set.copyOf(blobPuts).size(), "an upload was tried again: " + blobPuts);
    assertNull(tagged(repository));
  }

  // ---------------------------------------------------------------------------------------------- mounts

  /** Uploads the client retried (each says so in the log): a loaded machine may break a reused connection. */
  private long retries() {
    return log.lines().stream().filter(l -> l.contains("retrying")).count();
  }

  @Test
  void aRefusedMountFallsBackToOneUploadLoggedAtDebug() {
    for (int status : new int[] {401, 403, 404, 405}) {
      stub.clear();
      String repository = "it/mount-refused-" + status;
      BuildResult built = image("refused-" + status, "refused mount " + status);
      stub.rule(StubProxy.refusedMounts(status));
      PushResult result = push(built, repository, SeveralTargets.mountAllFrom(built.layout(), "it/elsewhere",
          Map.of()));
      int blobs = result.uploaded();
      assertEquals(0, result.mounted());
      assertTrue(blobs >= 4, "every blob uploaded: " + blobs);
      assertEquals(blobs, count(repository, r -> r.method().equals("POST") && r.query().contains("mount=")),
          "one mount each");
      // (a request broken on a reused connection is retried, with a new session: the log says so)
      assertEquals(blobs + retries(),
          count(repository, r -> r.method().equals("POST") && !r.query().contains("mount=")),
          "HTTP " + status + ": one upload session per blob\n" + log.text());
      assertEquals(built.index().digest(), tagged(repository));
      assertTrue(log.text().contains("answered HTTP " + status + "; uploading it"), log.text());
    }
  }

  @Test
  void anIgnoredMountUploadsIntoTheSessionTheRegistryOpenedInstead() {
    // distribution 2.8 answers a mount from a repository that lacks the blob with 202 and an upload session
    String repository = "it/mount-ignored";
    BuildResult built = image("ignored", "ignored mount");
    PushResult result = push(built, repository, SeveralTargets.mountAllFrom(built.layout(), "it/has-nothing",
        Map.of()));
    int blobs = result.uploaded();
    assertEquals(0, result.mounted());
    assertTrue(blobs >= 4, "every blob uploaded: " + blobs);
    List<StubProxy.Exchange> mounts = stub.exchanges(repository).stream()
        .filter(x -> x.request().method().equals("POST") && x.request().query().contains("mount=")).toList();
    assertEquals(blobs, mounts.size());
    assertTrue(mounts.stream().allMatch(x -> x.status() == 202), "the registry ignored every mount");
    assertEquals(retries(), count(repository, r -> r.method().equals("POST") && !r.query().contains("mount=")),
        "a second upload session was opened although the mount's 202 had opened one\n" + log.text());
    assertEquals(retries(), count(repository, r -> r.method().equals("DELETE")),
        "the mount's session was cancelled instead of used\n" + log.text());
    assertEquals(built.index().digest(), tagged(repository));
    assertTrue(log.text().contains("into the upload session the registry opened instead"), log.text());
  }
}
