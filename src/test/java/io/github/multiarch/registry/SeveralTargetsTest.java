package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.sign.CosignSigner;
import io.github.multiarch.sign.OpenSsl;
import io.github.multiarch.sign.SigningKey;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.StubProxy;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One image to several targets on two real registries: the same bytes everywhere, each blob once per registry,
 * and a target that fails keeps its tag while the others complete.
 */
class SeveralTargetsTest {
  static final String TAG = "1.0";

  @TempDir
  static Path tmp;
  static TestRegistry first;
  static TestRegistry second;
  static StubProxy stub;
  final CollectingLog log = new CollectingLog();

  @BeforeAll
  static void start() {
    first = TestRegistry.builder("targets-first").start();
    second = TestRegistry.builder("targets-second").start();
    stub = StubProxy.start(second.baseUrl());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {stub, first, second}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the next one still closes
      }
    }
  }

  static BuildResult image(String name, String seed) {
    return TestImages.build(tmp.resolve(name), TAG, List.of("linux/amd64", "linux/arm64"), seed, 0);
  }

  RegistryClient client(String host) {
    return new RegistryClient(host, null, first.options().withInsecureRegistries(Set.of(first.host(),
        second.host(), stub.host())), log);
  }

  List<SeveralTargets.Outcome<PushResult>> pushAll(BuildResult built, List<ImageName> targets) {
    return SeveralTargets.push(targets, (target, earlier) -> new LayoutPusher(client(target.registry()), log)
        .push(new PushRequest(built.layout(), null, target, List.of(TAG), null,
            SeveralTargets.mountAllFrom(built.layout(), earlier, Map.of()), 2)));
  }

  static byte[] raw(TestRegistry r, String repository) {
    return new RegistryClient(r.host(), null, r.options(), new CollectingLog()).getManifest(repository, TAG)
        .orElseThrow(() -> new AssertionError(r.host() + "/" + repository + ":" + TAG + " is missing")).bytes();
  }

  @Test
  void theSameIndexGoesToTwoRegistriesAndASecondPushUploadsNothing() {
    BuildResult built = image("two", "two registries");
    List<ImageName> targets = List.of(ImageName.parse("image", first.host() + "/it/app"),
        ImageName.parse("image", second.host() + "/it/app"));
    List<SeveralTargets.Outcome<PushResult>> outcomes = pushAll(built, targets);
    SeveralTargets.requireAll(outcomes, List.of(TAG));
    assertTrue(outcomes.get(0).result().uploaded() >= 4 && outcomes.get(1).result().uploaded() >= 4,
        "each registry got every blob: " + outcomes);
    assertArrayEquals(raw(first, "it/app"), raw(second, "it/app"));
    assertEquals(built.index().digest(), Digest.sha256(raw(second, "it/app")));

    List<SeveralTargets.Outcome<PushResult>> again = pushAll(built, targets);
    SeveralTargets.requireAll(again, List.of(TAG));
    for (SeveralTargets.Outcome<PushResult> o : again) {
      assertEquals(0, o.result().uploaded(), o.target() + " uploaded again");
      assertEquals(0, o.result().bytesUploaded());
    }
  }

  @Test
  void everyTargetGetsItsOwnSignatures() {
    BuildResult built = image("signed", "signed targets");
    CosignSigner signer = new CosignSigner(SigningKey.load(OpenSsl.p256(tmp, "targets.pem"), null, "signingKey"),
        CosignSigner.Format.BOTH, Instant.parse("2026-01-01T00:00:00Z"));
    List<ImageName> targets = List.of(ImageName.parse("image", first.host() + "/it/signed"),
        ImageName.parse("image", second.host() + "/it/signed"));
    List<SeveralTargets.Outcome<PushResult>> outcomes = SeveralTargets.push(targets, (target, earlier) ->
        new LayoutPusher(client(target.registry()), log).push(new PushRequest(built.layout(), null, target,
            List.of(TAG), null, Map.of(), 2, signer)));
    SeveralTargets.requireAll(outcomes, List.of(TAG));
    String legacyTag = built.index().digest().toString().replace(':', '-') + ".sig";
    List<byte[]> signatures = new java.util.ArrayList<>();
    for (TestRegistry r : List.of(first, second)) {
      RegistryClient direct = new RegistryClient(r.host(), null, r.options(), new CollectingLog());
      signatures.add(direct.getManifest("it/signed", legacyTag).orElseThrow(() -> new AssertionError(
          r.host() + " lacks the index's signature " + legacyTag)).bytes());
      assertTrue(direct.referrers("it/signed", built.index().digest()).map(i -> !i.manifests().isEmpty())
          .orElseGet(() -> direct.getManifest("it/signed", legacyTag.replace(".sig", "")).isPresent()),
          r.host() + " lacks the index's signature bundle");
    }
    outcomes.forEach(o -> assertEquals(3, o.result().signatures(), "index and both children signed at " + o.target()));
    assertTrue(!java.util.Arrays.equals(signatures.get(0), signatures.get(1)),
        "each target's signature names its own repository (docker-reference)");
  }

  @Test
  void aSecondRepositoryOfTheSameRegistryMountsEveryBlobFromTheFirst() {
    BuildResult built = image("same-registry", "same registry");
    List<SeveralTargets.Outcome<PushResult>> outcomes = pushAll(built, List.of(
        ImageName.parse("image", first.host() + "/it/one"), ImageName.parse("image", first.host() + "/it/two")));
    SeveralTargets.requireAll(outcomes, List.of(TAG));
    PushResult one = outcomes.get(0).result();
    PushResult two = outcomes.get(1).result();
    assertTrue(one.uploaded() >= 4, "the first target uploads: " + one);
    assertEquals(0, two.uploaded(), "the second target uploaded what the registry had: " + two);
    assertEquals(one.uploaded(), two.mounted(), "every blob mounted from the first: " + two);
    assertArrayEquals(raw(first, "it/one"), raw(first, "it/two"));
  }

  @Test
  void aTargetRefusingEveryChildKeepsItsTagAndTheOtherCompletes() {
    String repository = "it/refusing";
    BuildResult v1 = image("refusing-v1", "refusing 1");
    BuildResult v2 = image("refusing-v2", "refusing 2");
    List<ImageName> targets = List.of(ImageName.parse("image", first.host() + "/" + repository),
        ImageName.parse("image", stub.host() + "/" + repository));
    SeveralTargets.requireAll(pushAll(v1, targets), List.of(TAG));
    stub.rule(StubProxy.refusing(r -> r.method().equals("PUT") && r.path().contains("/manifests/sha256:"),
        StubProxy.error(403, "DENIED", "stub: no manifests here")));

    List<SeveralTargets.Outcome<PushResult>> outcomes = pushAll(v2, targets);
    MultiarchException e = assertThrows(MultiarchException.class,
        () -> SeveralTargets.requireAll(outcomes, List.of(TAG)));
    stub.rule(StubProxy.PASS_THROUGH);

    assertTrue(e.getMessage().startsWith("push failed at 1 of 2 targets; " + stub.host() + "/" + repository + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains("stub: no manifests here"), e.getMessage());
    assertTrue(e.getMessage().contains("were not moved"), e.getMessage());
    assertTrue(e.getMessage().contains("complete: " + first.host() + "/" + repository), e.getMessage());
    assertEquals(v2.index().digest(), Digest.sha256(raw(first, repository)), "the other target is complete");
    assertEquals(v1.index().digest(), Digest.sha256(raw(second, repository)), "the refusing target's tag moved");
  }

  @Test
  void badAdditionalImagesAreRefusedNamingTheParameter() {
    ImageName primary = ImageName.parse("image", "registry.example.com/team/app");
    List<String> tags = List.of("1.0", "latest");
    assertEquals(List.of(ImageName.parse("x", "eu.example.com/team/app:1.0"), ImageName.parse("x", "b.example.com/app")),
        SeveralTargets.parse("additionalImages", List.of(" eu.example.com/team/app:1.0 ", "", "b.example.com/app"),
            primary, tags));
    for (String[] bad : new String[][] {
        {"eu.example.com/app@sha256:" + "a".repeat(64), "holds a digest"},
        {"registry.example.com/team/app:latest", "the image itself"},
        {"eu.example.com/app:2.0", "every target gets the same tags (1.0, latest)"},
        {"eu.example.com/-app", "-app"}}) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> SeveralTargets.parse("additionalImages", List.of(bad[0]), primary, tags), bad[0]);
      assertEquals("additionalImages", e.parameter());
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    InvalidInputException twice = assertThrows(InvalidInputException.class, () -> SeveralTargets.parse(
        "additionalImages", List.of("eu.example.com/app", "eu.example.com/app:1.0"), primary, tags));
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    assertNull(SeveralTargets.parse("additionalImages", null, primary, tags).stream().findFirst().orElse(null));
  }
}
