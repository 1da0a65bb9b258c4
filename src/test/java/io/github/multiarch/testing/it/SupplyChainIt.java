package io.github.multiarch.testing.it;

import static io.github.multiarch.testing.it.ItChecks.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.multiarch.EngineLog;
import io.github.multiarch.build.BuildRequest;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.build.ContainerSpec;
import io.github.multiarch.build.MultiPlatformBuilder;
import io.github.multiarch.build.PlatformRequest;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageFormat;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.PushResult;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.sign.CosignSigner;
import io.github.multiarch.sign.SigningKey;
import io.github.multiarch.supply.Attestations;
import io.github.multiarch.supply.CycloneDxSchema;
import io.github.multiarch.supply.ProvenanceInput.ProjectCoordinates;
import io.github.multiarch.supply.Tool;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks of what a signed, attested push left in the registry, made with tools that are not ours: Sigstore's
 * JavaScript verifier for bundles ({@code src/test/sigstore/verify-bundle.mjs}), {@code openssl dgst} for cosign's
 * simple-signing payloads, skopeo for every manifest and tag, and the CycloneDX JSON schema for SBOMs. Our own
 * client only fetches blobs (their digests are checked on the way).
 */
public final class SupplyChainIt {
  public static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  public static final String SBOM_TYPE = "application/vnd.cyclonedx+json";
  public static final String IN_TOTO_TYPE = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SupplyChainIt() {}

  /**
   * An ECDSA P-256 key pair made by openssl, the private key encrypted with {@code password} (AES-256-CBC; null:
   * unencrypted PKCS#8), and
   * the public key of a second, unrelated pair: [key:, publicKey:, otherPublicKey:].
   */
  public static Map<String, File> makeKeys(File basedir, String password) {
    File dir = new File(basedir, "keys");
    dir.mkdirs();
    File key = new File(dir, "signing.pem");
    File publicKey = new File(dir, "signing.pub");
    File other = new File(dir, "other.pem");
    File otherPublic = new File(dir, "other.pub");
    if (password == null) {
      openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.getPath());
      openssl("pkey", "-in", key.getPath(), "-pubout", "-out", publicKey.getPath());
    } else {
      openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass",
          "pass:" + password, "-out", key.getPath());
      openssl("pkey", "-in", key.getPath(), "-passin", "pass:" + password, "-pubout", "-out", publicKey.getPath());
    }
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", other.getPath());
    openssl("pkey", "-in", other.getPath(), "-pubout", "-out", otherPublic.getPath());
    Map<String, File> keys = new LinkedHashMap<>();
    keys.put("key", key);
    keys.put("publicKey", publicKey);
    keys.put("otherPublicKey", otherPublic);
    return keys;
  }

  /** An unencrypted 2048-bit RSA private key made by openssl (PKCS#8 'PRIVATE KEY'), at {@code file}. */
  public static File makeRsaKey(File file) {
    file.getParentFile().mkdirs();
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file.getPath());
    return file;
  }

  /**
   * Builds a one-platform image with the engine, with its SBOM and provenance (the engine's Attestations), and
   * pushes it the way a per-architecture {@code podman push} leaves it: the image manifest itself, no index,
   * under {@code repository:tag}; its attestations as referrers and signed in both formats (Sigstore bundle,
   * legacy {@code .sig}) with {@code key} by the engine's LayoutPusher and CosignSigner. The image holds one
   * file, {@code /part.txt}. Returns [digest:, platform:, file: the local copy of /part.txt].
   */
  public static Map<String, Object> pushSignedImage(TestRegistry registry, String repository, String tag,
      String platformName, File workDir, File key, String password) {
    Platform platform = Platform.parse("platforms", platformName);
    File dir = new File(workDir, "image-" + tag);
    ItChecks.deleteDir(dir);
    File content = new File(dir, "files/part.txt");
    content.getParentFile().mkdirs();
    ItChecks.write(content, ("part " + repository + ":" + tag + " for " + platform + "\n")
        .getBytes(StandardCharsets.UTF_8));
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    String image = registry.host() + "/" + repository;
    BuildRequest request = new BuildRequest(image, List.of(tag), ImageFormat.OCI, "scratch",
        List.of(PlatformRequest.of(platform)),
        List.of(new LayerSpec("part", List.of(new LayerFile(content.toPath(), "/part.txt", null)))),
        ContainerSpec.empty(), Map.of(), created, new File(dir, "out").toPath(), false, dir.toPath())
        .withAttestor(new Attestations(new Attestations.Settings(true, true, "it-part", List.of(), null,
            new ProjectCoordinates("io.github.multiarch.it", "part", "1.0.0"), new Tool("Apache Maven", "test"),
            null, created, new Tool("multiarch-maven-plugin", "test"), null)));
    BuildResult built = new MultiPlatformBuilder(EngineLog.NONE).build(request);
    check(built.images().size() == 1, "built " + built.images().size() + " images");
    // the layout's tag names an index of one entry: make it name that entry's manifest instead, keeping the
    // entries that list the attestations
    OciLayout layout = OciLayout.open(built.layout());
    Descriptor manifest = built.images().get(0).manifest();
    List<Descriptor> entries = new ArrayList<>();
    entries.add(manifest.withPlatform(null).withAnnotations(Map.of(ItChecks.REF_NAME, tag)));
    layout.readIndexJson().manifests().stream().filter(OciLayout::isReferrerEntry).forEach(entries::add);
    check(layout.referrers(manifest.digest()).size() == 2, "the build attached "
        + layout.referrers(manifest.digest()).size() + " artifacts to " + manifest.digest() + ", not 2");
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of()));
    char[] chars = password == null ? null : password.toCharArray();
    CosignSigner signer = new CosignSigner(SigningKey.load(key.toPath(), chars, "signingKey"),
        CosignSigner.Format.BOTH, Instant.now());
    PushResult result;
    try (RegistryClient client = IndexIt.client(registry)) {
      result = new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(built.layout(), tag,
          ImageName.parse("image", image), List.of(tag), null, Map.of(), 2, signer));
    }
    check(result.signatures() == 1, "the push signed " + result.signatures() + " manifests, not 1");
    check(result.referrers() == 3, "the push stored " + result.referrers() + " referrers, not 3 (SBOM, "
        + "provenance, bundle)");
    Map<String, Object> pushed = new LinkedHashMap<>();
    pushed.put("digest", manifest.digest().toString());
    pushed.put("platform", platform.toString());
    pushed.put("file", content.getPath());
    return pushed;
  }

  /**
   * The digests of {@code repository:tag} and of each of its children: [index: digest, children: [platform: digest]].
   */
  public static Map<String, Object> image(TestRegistry registry, String repository, String tag) {
    JsonNode index = json(PushIt.rawManifest(registry, repository, tag));
    Map<String, String> children = new LinkedHashMap<>();
    for (JsonNode entry : index.get("manifests")) {
      JsonNode p = entry.get("platform");
      String platform = p.get("os").asText() + "/" + p.get("architecture").asText()
          + (p.has("variant") ? "/" + p.get("variant").asText() : "");
      children.put(platform, entry.get("digest").asText());
    }
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("index", ItChecks.sha256(PushIt.rawManifest(registry, repository, tag)));
    image.put("children", children);
    return image;
  }

  /**
   * The referrers of {@code digest} as the referrers tag lists them (distribution 2.8 has no referrers API), read
   * by skopeo: each [artifactType:, digest:, annotations:].
   */
  public static List<JsonNode> referrers(TestRegistry registry, String repository, String digest) {
    String tag = digest.replace(':', '-');
    JsonNode list = json(PushIt.rawManifest(registry, repository, tag));
    check(ItChecks.OCI_INDEX.equals(list.path("mediaType").asText()), repository + ":" + tag + " is not an OCI index");
    List<JsonNode> entries = new ArrayList<>();
    list.get("manifests").forEach(entries::add);
    return entries;
  }

  /**
   * What {@code referrers} lists of each referrer, as inspect shows it: [artifactType:, digest:, size:], sorted by
   * digest.
   */
  public static List<Map<String, Object>> referrerSummaries(TestRegistry registry, String repository,
      String digest) {
    List<Map<String, Object>> summaries = new ArrayList<>();
    for (JsonNode referrer : referrers(registry, repository, digest)) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("artifactType", referrer.path("artifactType").asText());
      summary.put("digest", referrer.path("digest").asText());
      summary.put("size", referrer.path("size").asLong());
      summaries.add(summary);
    }
    summaries.sort(java.util.Comparator.comparing(m -> String.valueOf(m.get("digest"))));
    return summaries;
  }

  /**
   * The repositories the registry holds, from distribution's {@code /v2/_catalog} (a plain-HTTP, anonymous test
   * registry), sorted.
   */
  public static List<String> catalogue(TestRegistry registry) {
    check(!registry.isTls(), "catalogue() reads plain-HTTP registries only");
    try {
      java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(registry.baseUrl() + "/v2/_catalog?n=1000"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      check(response.statusCode() == 200, "GET /v2/_catalog answered " + response.statusCode());
      List<String> names = new ArrayList<>();
      json(response.body()).path("repositories").forEach(n -> names.add(n.asText()));
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The one layer's bytes of the referrer of {@code digest} with this artifact type (checked against its digest). */
  public static byte[] referrerContent(TestRegistry registry, String repository, String digest, String artifactType,
      File workDir) {
    List<JsonNode> matching = referrers(registry, repository, digest).stream()
        .filter(r -> artifactType.equals(r.path("artifactType").asText())).toList();
    check(matching.size() == 1, "expected one " + artifactType + " referrer of " + digest + ", found "
        + matching.size());
    String referrer = matching.get(0).get("digest").asText();
    JsonNode manifest = json(PushIt.skopeo(List.of("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/" + repository + "@" + referrer)));
    check(digest.equals(manifest.path("subject").path("digest").asText()), "referrer " + referrer
        + " does not name " + digest + " as its subject");
    check(artifactType.equals(manifest.path("artifactType").asText()), "referrer " + referrer + " has artifactType "
        + manifest.path("artifactType"));
    return blob(registry, repository, manifest.get("layers").get(0).get("digest").asText(), workDir);
  }

  /**
   * Checks the Sigstore bundle of {@code digest} with Sigstore's JavaScript verifier: accepted with
   * {@code publicKey}, refused with {@code otherPublicKey}, refused as a signature of {@code otherDigest}. Also the
   * statement: in-toto v1, cosign's predicate type, subject = {@code digest}.
   */
  public static void checkBundle(File basedir, TestRegistry registry, String repository, String digest,
      String otherDigest, File publicKey, File otherPublicKey) {
    File work = new File(basedir, "target/bundles");
    work.mkdirs();
    byte[] bundle = referrerContent(registry, repository, digest, BUNDLE_TYPE, work);
    File file = new File(work, digest.replace(':', '-') + ".json");
    ItChecks.write(file, bundle);
    String hex = digest.substring("sha256:".length());
    Tools.Result accepted = verifyBundle(basedir, file, publicKey, hex);
    check(accepted.ok(), "@sigstore/verify refused the bundle of " + digest + ": " + accepted.stderr());
    check(!verifyBundle(basedir, file, otherPublicKey, hex).ok(), "@sigstore/verify accepted the bundle of "
        + digest + " with another key");
    check(!verifyBundle(basedir, file, publicKey, otherDigest.substring("sha256:".length())).ok(),
        "@sigstore/verify accepted the bundle of " + digest + " as a signature of " + otherDigest);
    JsonNode statement = json(Base64.getDecoder().decode(json(bundle).path("dsseEnvelope").path("payload").asText()));
    check("https://in-toto.io/Statement/v1".equals(statement.path("_type").asText()), "statement type: " + statement);
    check("https://sigstore.dev/cosign/sign/v1".equals(statement.path("predicateType").asText()),
        "predicate type: " + statement);
    check(hex.equals(statement.path("subject").get(0).path("digest").path("sha256").asText()),
        "the statement's subject is not " + digest + ": " + statement);
  }

  /**
   * Checks cosign's legacy signature of {@code digest} (specs/SIGNATURE_SPEC.md): the {@code sha256-<hex>.sig} tag
   * holds an OCI manifest whose simple-signing layer names {@code digest} and {@code dockerReference}, and whose
   * signature annotation {@code openssl dgst -sha256 -verify} accepts over the exact payload bytes with
   * {@code publicKey}, refuses with {@code otherPublicKey}, and refuses over the same payload naming another
   * digest.
   */
  public static void checkLegacySignature(File basedir, TestRegistry registry, String repository, String digest,
      String dockerReference, File publicKey, File otherPublicKey) {
    File work = new File(basedir, "target/legacy");
    work.mkdirs();
    JsonNode manifest = json(PushIt.rawManifest(registry, repository, digest.replace(':', '-') + ".sig"));
    check(ItChecks.OCI_MANIFEST.equals(manifest.path("mediaType").asText()), "the .sig manifest: " + manifest);
    check(ItChecks.OCI_CONFIG.equals(manifest.path("config").path("mediaType").asText()), "the .sig config: " + manifest);
    JsonNode layer = manifest.get("layers").get(0);
    check("application/vnd.dev.cosign.simplesigning.v1+json".equals(layer.path("mediaType").asText()),
        "the signature layer: " + layer);
    byte[] payload = blob(registry, repository, layer.get("digest").asText(), work);
    JsonNode critical = json(payload).path("critical");
    check(digest.equals(critical.path("image").path("docker-manifest-digest").asText()), "payload: "
        + new String(payload, StandardCharsets.UTF_8));
    check(dockerReference.equals(critical.path("identity").path("docker-reference").asText()), "payload: "
        + new String(payload, StandardCharsets.UTF_8));
    check("cosign container image signature".equals(critical.path("type").asText()), "payload type");
    String name = digest.replace(':', '-');
    File payloadFile = new File(work, name + ".payload");
    File signature = new File(work, name + ".sig.der");
    ItChecks.write(payloadFile, payload);
    ItChecks.write(signature, Base64.getDecoder().decode(
        layer.path("annotations").path("dev.cosignproject.cosign/signature").asText()));
    check(opensslVerify(publicKey, signature, payloadFile).ok(), "openssl refused the legacy signature of " + digest);
    check(!opensslVerify(otherPublicKey, signature, payloadFile).ok(), "openssl accepted the legacy signature of "
        + digest + " with another key");
    // the same payload naming another manifest: the signature must not carry over to it
    String otherDigest = ItChecks.sha256(digest.getBytes(StandardCharsets.US_ASCII));
    String text = new String(payload, StandardCharsets.UTF_8);
    check(text.contains(digest), "the payload does not name " + digest + " as written: " + text);
    File otherPayload = new File(work, name + ".other-digest.payload");
    ItChecks.write(otherPayload, text.replace(digest, otherDigest).getBytes(StandardCharsets.UTF_8));
    check(!opensslVerify(publicKey, signature, otherPayload).ok(), "openssl accepted the legacy signature of "
        + digest + " as a signature of " + otherDigest);
  }

  /**
   * The content (the one layer) of the referrer of {@code digest} with this artifact type in a local layout, as
   * the build lists referrers in index.json: checked against its digests.
   */
  public static byte[] layoutReferrer(File layout, String digest, String artifactType) {
    JsonNode index = json(ItChecks.bytes(new File(layout, "index.json")));
    List<JsonNode> matching = new ArrayList<>();
    for (JsonNode entry : index.get("manifests")) {
      if (artifactType.equals(entry.path("artifactType").asText())) {
        JsonNode manifest = json(ItChecks.blob(layout, entry.get("digest").asText(), entry.get("size").asLong()));
        if (digest.equals(manifest.path("subject").path("digest").asText())) {
          matching.add(manifest);
        }
      }
    }
    check(matching.size() == 1, "expected one " + artifactType + " referrer of " + digest + " in " + layout
        + ", found " + matching.size());
    JsonNode layer = matching.get(0).get("layers").get(0);
    return ItChecks.blob(layout, layer.get("digest").asText(), layer.get("size").asLong());
  }

  /**
   * Checks a Java application's SBOM: valid CycloneDX 1.5, and for each jar under {@code libs} of the unpacked
   * image a library component with its Maven purl, the jar's SHA-256 and the expected license id.
   */
  public static void checkJavaSbom(byte[] sbom, File libs, Map<String, String> purlsByJar, String licenseId) {
    CycloneDxSchema.assertValid15(sbom);
    JsonNode components = json(sbom).path("components");
    for (Map.Entry<String, String> jar : purlsByJar.entrySet()) {
      String sha256 = ItChecks.sha256(ItChecks.bytes(new File(libs, jar.getKey()))).substring("sha256:".length());
      JsonNode library = null;
      for (JsonNode component : components) {
        if ("library".equals(component.path("type").asText()) && jar.getValue().equals(component.path("purl")
            .asText())) {
          library = component;
        }
      }
      check(library != null, "the SBOM lists no library " + jar.getValue());
      check(sha256.equals(library.path("hashes").get(0).path("content").asText()), jar.getKey()
          + ": the SBOM's SHA-256 is not the jar's in the image");
      check(licenseId.equals(library.path("licenses").get(0).path("license").path("id").asText()), jar.getKey()
          + ": license " + library.path("licenses"));
      boolean fileListed = false;
      for (JsonNode component : components) {
        fileListed |= ("/app/libs/" + jar.getKey()).equals(component.path("name").asText())
            && sha256.equals(component.path("hashes").get(0).path("content").asText());
      }
      check(fileListed, "the SBOM lists no file /app/libs/" + jar.getKey() + " with its SHA-256");
    }
  }

  /** Builds a two-platform image with the engine and pushes it to {@code repository:tag}, unsigned, unattested. */
  public static void pushUnsigned(TestRegistry registry, String repository, String tag, File workDir) {
    BuildResult built = TestImages.build(workDir.toPath(), tag, List.of("linux/amd64", "linux/arm64"), repository, 256);
    try (RegistryClient client = IndexIt.client(registry)) {
      new LayoutPusher(client, EngineLog.NONE).push(new PushRequest(built.layout(), null,
          ImageName.parse("image", registry.host() + "/" + repository), List.of(tag), null, Map.of(), 2));
    }
  }

  /** How many signature layers cosign's legacy {@code sha256-<hex>.sig} manifest of {@code digest} holds. */
  public static int legacyLayers(TestRegistry registry, String repository, String digest) {
    return json(PushIt.rawManifest(registry, repository, digest.replace(':', '-') + ".sig")).get("layers").size();
  }

  /**
   * Checks the SBOM of a child: valid CycloneDX 1.5, listing {@code path} with the SHA-256 of {@code binary}; and
   * its provenance: an in-toto statement with the SLSA v1 predicate whose subject is the child.
   */
  public static void checkAttestations(File basedir, TestRegistry registry, String repository, String digest,
      String path, File binary) {
    checkSbom(basedir, registry, repository, digest, path, binary);
    checkProvenance(basedir, registry, repository, digest);
  }

  /** Checks the SBOM of a child: valid CycloneDX 1.5, listing {@code path} with the SHA-256 of {@code binary}. */
  public static void checkSbom(File basedir, TestRegistry registry, String repository, String digest, String path,
      File binary) {
    byte[] sbom = referrerContent(registry, repository, digest, SBOM_TYPE, attestationsDir(basedir));
    CycloneDxSchema.assertValid15(sbom);
    String expected = ItChecks.sha256(ItChecks.bytes(binary)).substring("sha256:".length());
    boolean listed = false;
    for (JsonNode component : json(sbom).path("components")) {
      if (path.equals(component.path("name").asText()) && "file".equals(component.path("type").asText())) {
        listed = expected.equals(component.path("hashes").get(0).path("content").asText());
      }
    }
    check(listed, "the SBOM of " + digest + " does not list " + path + " with SHA-256 " + expected);
  }

  /** Checks the provenance of a child: an in-toto statement with the SLSA v1 predicate whose subject is the child. */
  public static void checkProvenance(File basedir, TestRegistry registry, String repository, String digest) {
    JsonNode statement = json(referrerContent(registry, repository, digest, IN_TOTO_TYPE, attestationsDir(basedir)));
    check("https://slsa.dev/provenance/v1".equals(statement.path("predicateType").asText()),
        "provenance: " + statement);
    check(digest.substring("sha256:".length()).equals(statement.path("subject").get(0).path("digest").path("sha256")
        .asText()), "the provenance's subject is not " + digest);
  }

  /**
   * The artifact types of what refers to {@code digest}, sorted; empty when it has no referrers tag at all
   * (nothing was ever attached to it).
   */
  public static List<String> referrerTypes(TestRegistry registry, String repository, String digest) {
    if (!IndexIt.tags(registry, repository).contains(digest.replace(':', '-'))) {
      return new ArrayList<>();
    }
    List<String> types = new ArrayList<>();
    referrers(registry, repository, digest).forEach(r -> types.add(r.path("artifactType").asText()));
    types.sort(null);
    return types;
  }

  private static File attestationsDir(File basedir) {
    File work = new File(basedir, "target/attestations");
    work.mkdirs();
    return work;
  }

  private static Tools.Result verifyBundle(File basedir, File bundle, File publicKey, String subjectHex) {
    File script = new File(ItSupport.commonDir(basedir), "../../test/sigstore/verify-bundle.mjs");
    return Tools.run(60, List.of(Tools.require("node", "nodejs").toString(), script.getPath(), bundle.getPath(),
        publicKey.getPath(), subjectHex));
  }

  private static Tools.Result opensslVerify(File publicKey, File signature, File data) {
    return Tools.run(60, List.of("openssl", "dgst", "-sha256", "-verify", publicKey.getPath(), "-signature",
        signature.getPath(), data.getPath()));
  }

  private static void openssl(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Tools.require("openssl", "openssl").toString());
    command.addAll(List.of(arguments));
    Tools.Result result = Tools.run(60, command);
    check(result.ok(), "openssl " + String.join(" ", arguments) + " failed: " + result.stderr());
  }

  /** A blob of the registry, fetched by our client (which checks it against its digest). */
  public static byte[] blob(TestRegistry registry, String repository, String digest, File workDir) {
    try {
      workDir.mkdirs();
      Path target = Files.createTempFile(workDir.toPath(), "blob-", ".bin");
      try (RegistryClient client = IndexIt.client(registry)) {
        client.fetchBlob(repository, Digest.parse(digest), target); // checked against the digest
      }
      return Files.readAllBytes(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
