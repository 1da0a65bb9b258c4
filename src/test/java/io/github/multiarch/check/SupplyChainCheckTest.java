package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.image.RegistryStore;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.sign.CosignSigner;
import io.github.multiarch.sign.OpenSsl;
import io.github.multiarch.sign.SigningKey;
import io.github.multiarch.sign.VerificationKey;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supply-chain gate of verify, each way it fails: a platform without an SBOM, a provenance statement listed
 * for one platform but about another, signatures by another key, no signature at all; and what it says on a
 * layout, which push has not signed yet.
 */
class SupplyChainCheckTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static BuildResult built;
  static Path keyA;
  static VerificationKey publicA;
  static VerificationKey publicB;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("supply-check").start();
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm64"), "supply", 512);
    Descriptor amd64 = built.images().get(0).manifest();
    Descriptor arm64 = built.images().get(1).manifest();
    OciLayout layout = OciLayout.open(built.layout());
    List<Descriptor> entries = new ArrayList<>(layout.readIndexJson().manifests());
    List<Artifact> attached = List.of(
        artifact("application/vnd.cyclonedx+json", amd64, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}"),
        artifact("application/vnd.in-toto+json", amd64, statement(amd64)),
        // arm64: no SBOM, and a statement listed as its referrer but about amd64
        artifact("application/vnd.in-toto+json", arm64, statement(amd64)));
    for (Artifact a : attached) {
      layout.writeArtifact(a);
      entries.add(OciLayout.referrerEntry(a, Artifact.subject(ImageManifest.parse(
          a.manifestBytes(), null, "a")).digest()));
    }
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of()));
    keyA = OpenSsl.p256(tmp, "a.pem");
    publicA = VerificationKey.load(OpenSsl.publicKey(keyA, null), "verifyKey");
    publicB = VerificationKey.load(OpenSsl.publicKey(OpenSsl.p256(tmp, "b.pem"), null), "verifyKey");
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static Artifact artifact(String type, Descriptor subject, String content) {
    return Artifact.referrer(type, subject, List.of(new Artifact.Layer(type,
        content.getBytes(StandardCharsets.UTF_8), Map.of())), Map.of());
  }

  static String statement(Descriptor about) {
    return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\",\"digest\":{\"sha256\":\""
        + about.digest().hex() + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}";
  }

  static VerifyReport verify(ImageContent content, VerificationKey key) {
    VerifyRequest request = new VerifyRequest(List.of(), null, BinaryCheck.FAIL, List.of(), null,
        new VerifyRequest.SupplyChain(true, true, key));
    try (content) {
      return new ImageVerifier(EngineLog.NONE, SmokeRunner.forHost()).verify(content, request).get(0);
    }
  }

  static RegistryClient client() {
    return new RegistryClient(registry.host(), registry.credential("test"), registry.options(), EngineLog.NONE);
  }

  static ImageContent pushed(String repository, CosignSigner signer) {
    new LayoutPusher(client(), EngineLog.NONE).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", registry.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2, signer));
    return ImageContent.of(new RegistryStore(client(), ImageName.parse("image", registry.host() + "/" + repository),
        tmp), "1.0");
  }

  static CosignSigner signerA() {
    return new CosignSigner(SigningKey.load(keyA, null, "signingKey"), CosignSigner.Format.BOTH, Instant.now());
  }

  @Test
  void onTheLayoutAMissingSbomAndAProvenanceAboutAnotherPlatformFailAndSignaturesWaitForPush() {
    VerifyReport report = verify(ImageContent.of(new LayoutStore(OciLayout.open(built.layout()))), publicA);
    assertEquals(CheckStatus.SKIP, report.row("linux/amd64").result(VerifyReport.Check.SUPPLY), report.table()
        .toString());
    assertTrue(report.row("linux/amd64").details().toString().contains("SBOM, provenance, signatures not checked: "
        + "push makes them"), report.row("linux/amd64").details().toString());
    assertEquals(CheckStatus.FAIL, report.row("linux/arm64/v8").result(VerifyReport.Check.SUPPLY));
    String failures = report.failures().toString();
    Descriptor arm64 = built.images().get(1).manifest();
    assertTrue(failures.contains("linux/arm64/v8: supply chain: lacks an SBOM (application/vnd.cyclonedx+json "
        + "referrer); a provenance statement about " + arm64.digest()), failures);
    assertEquals(1, report.failures().size(), failures);
  }

  @Test
  void inTheRegistrySignaturesByTheKeyPassAndByAnotherKeyFailForEveryManifest() {
    ImageContent signed = pushed("supply/signed", signerA());
    VerifyReport good = verify(signed, publicA);
    assertEquals(CheckStatus.PASS, good.row("linux/amd64").result(VerifyReport.Check.SUPPLY), good.table().toString());
    assertEquals(CheckStatus.PASS, good.row("index").result(VerifyReport.Check.SUPPLY), good.table().toString());
    assertTrue(good.row("index").details().toString().contains("signed (bundle, legacy)"), good.table().toString());

    VerifyReport other = verify(ImageContent.of(new RegistryStore(client(), ImageName.parse("image",
        registry.host() + "/supply/signed"), tmp), "1.0"), publicB);
    assertEquals(CheckStatus.FAIL, other.row("linux/amd64").result(VerifyReport.Check.SUPPLY));
    assertEquals(CheckStatus.FAIL, other.row("index").result(VerifyReport.Check.SUPPLY));
    String failures = other.failures().toString();
    assertTrue(failures.contains("index: supply chain: lacks a signature by the key " + publicB.hint()
        + " (found only: "), failures);
  }

  @Test
  void anUnsignedImageFailsNamingTheKey() {
    VerifyReport report = verify(pushed("supply/unsigned", null), publicA);
    String failures = report.failures().toString();
    assertTrue(failures.contains("index: supply chain: lacks a signature by the key " + publicA.hint()
        + " (it is not signed)"), failures);
    assertTrue(failures.contains("linux/amd64: supply chain: lacks a signature by the key " + publicA.hint()
        + " (it is not signed)"), failures);
  }
}
