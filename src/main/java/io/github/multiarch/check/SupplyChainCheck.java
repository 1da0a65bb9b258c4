package io.github.multiarch.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.sign.SignatureVerifier;
import io.github.multiarch.sign.SigstoreBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The supply-chain gate: every platform has an SBOM and a provenance statement about its own manifest, and the
 * index and every platform carry a signature the given public key verifies. Each attestation is read and its
 * {@code subject} compared with the manifest it is listed for: a referrers list is only an index anyone with push
 * rights can write, so what it lists is checked, not trusted.
 */
final class SupplyChainCheck {
  static final String SBOM_TYPE = "application/vnd.cyclonedx+json";
  static final String IN_TOTO_TYPE = "application/vnd.in-toto+json";

  void check(VerifyContext c) {
    VerifyRequest.SupplyChain wanted = c.request.supplyChain();
    for (VerifiedImage image : c.images) {
      if (image.row != null) {
        checkOne(c, image.row, image.descriptor.digest(), wanted, true);
      }
    }
    boolean isIndex = c.images.stream().anyMatch(image -> image.index >= 0);
    if (isIndex) {
      checkOne(c, c.report.indexRow(), c.root.descriptor().digest(), wanted, false);
    }
  }

  private void checkOne(VerifyContext c, Row row, Digest digest, VerifyRequest.SupplyChain wanted,
      boolean platform) {
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<Descriptor> referrers;
    try {
      referrers = c.source.referrers(digest);
    } catch (MultiarchException e) {
      c.report.add(row, CheckStatus.FAIL, Check.SUPPLY, "cannot list what refers to " + digest + ": " + e.getMessage());
      return;
    }
    if (platform && wanted.sbom()) {
      attestation(c, referrers, SBOM_TYPE, digest, this::isSbom).ifPresentOrElse(found::add,
          () -> missing.add("an SBOM (" + SBOM_TYPE + " referrer)"));
    }
    if (platform && wanted.provenance()) {
      attestation(c, referrers, IN_TOTO_TYPE, digest, json -> isStatementAbout(json, digest))
          .ifPresentOrElse(found::add, () -> missing.add("a provenance statement about " + digest
              + " (" + IN_TOTO_TYPE + " referrer)"));
    }
    CheckStatus status = missing.isEmpty() ? CheckStatus.PASS : CheckStatus.FAIL;
    if (wanted.key() != null) {
      if (!c.source.holdsSignatures()) {
        status = status.and(CheckStatus.SKIP);
        found.add("signatures not checked: push makes them (verify the pushed image with "
            + InvalidInputException.param("image") + ")");
      } else {
        String signatures = signatures(c, referrers, digest, wanted);
        if (signatures.startsWith("signed")) {
          found.add(signatures);
        } else {
          missing.add(signatures);
        }
      }
    }
    if (!found.isEmpty()) {
      row.detail(String.join(", ", found));
    }
    if (missing.isEmpty()) {
      c.report.add(row, status, Check.SUPPLY, null);
    } else {
      c.report.add(row, CheckStatus.FAIL, Check.SUPPLY, "lacks " + String.join("; ", missing));
    }
  }

  /** The first referrer of this type whose subject is {@code digest} and whose content passes {@code test}. */
  private Optional<String> attestation(VerifyContext c, List<Descriptor> referrers, String type, Digest digest,
      Predicate<JsonNode> test) {
    for (Descriptor referrer : referrers) {
      if (!type.equals(OciJson.text(referrer.extraFields(), "artifactType"))) {
        continue;
      }
      try {
        Artifact artifact = c.source.artifact(referrer);
        ImageManifest manifest = ImageManifest.parse(artifact.manifestBytes(), referrer.mediaType(), "referrer");
        Descriptor subject = Artifact.subject(manifest);
        if (subject == null || !subject.digest().equals(digest) || manifest.layers().isEmpty()) {
          continue;
        }
        byte[] content = artifact.blobs().get(manifest.layers().get(0).digest());
        if (test.test(OciJson.parse(content, "attestation " + referrer.digest()))) {
          return Optional.of(type.equals(SBOM_TYPE) ? "SBOM" : "provenance");
        }
      } catch (IOException | MultiarchException e) {
        c.log.debug("multiarch: referrer " + referrer.digest() + " of " + digest + " not used: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private boolean isSbom(JsonNode json) {
    return "CycloneDX".equals(OciJson.text(json, "bomFormat"));
  }

  /** An in-toto statement whose subject names {@code digest}. */
  private static boolean isStatementAbout(JsonNode json, Digest digest) {
    JsonNode subjects = json.get("subject");
    if (subjects == null || !subjects.isArray()) {
      return false;
    }
    for (JsonNode subject : subjects) {
      if (digest.hex().equals(subject.path("digest").path(digest.algorithm()).asText())) {
        return true;
      }
    }
    return false;
  }

  /** "signed (bundle, legacy)" when the key verifies at least one signature, else what was found instead. */
  private String signatures(VerifyContext c, List<Descriptor> referrers, Digest digest,
      VerifyRequest.SupplyChain wanted) {
    SignatureVerifier verifier = new SignatureVerifier(wanted.key(), digest);
    List<String> valid = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (Descriptor referrer : referrers) {
      if (!SigstoreBundle.BUNDLE_MEDIA_TYPE.equals(OciJson.text(referrer.extraFields(), "artifactType"))) {
        continue;
      }
      try {
        SignatureVerifier.Result result = verifier.checkBundleReferrer(c.source.artifact(referrer));
        if (result.valid()) {
          valid.add("bundle");
          break;
        }
        invalid.add(result.message());
      } catch (IOException | MultiarchException e) {
        invalid.add("bundle " + referrer.digest() + " unreadable: " + e.getMessage());
      }
    }
    try {
      Optional<Artifact> legacy = c.source.legacySignature(digest);
      if (legacy.isPresent()) {
        SignatureVerifier.Result result = verifier.checkSimpleSigning(legacy.get());
        if (result.valid()) {
          valid.add("legacy");
        } else {
          invalid.add(result.message());
        }
      }
    } catch (IOException | MultiarchException e) {
      invalid.add("the legacy signature is unreadable: " + e.getMessage());
    }
    if (!valid.isEmpty()) {
      return "signed (" + String.join(", ", valid) + ")";
    }
    return "a signature by the key " + wanted.key().hint() + (invalid.isEmpty() ? " (it is not signed)"
        : " (found only: " + String.join("; ", invalid) + ")");
  }
}
