package io.github.multiarch.check;

import io.github.multiarch.oci.Platform;
import io.github.multiarch.sign.VerificationKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What to verify.
 *
 * @param requiredPlatforms platforms the index must have (matched as runtimes match: {@code linux/arm64} is
 *     {@code linux/arm64/v8}); empty: none required, every entry must still be a well-formed platform
 * @param requiredFrom where the required platforms came from, for messages ({@code requiredPlatforms}, "the
 *     build's platforms")
 * @param binaryCheck what a binary for another CPU does
 * @param binaryCheckIgnore paths whose files are not judged
 * @param smoke the smoke run, or null for none
 * @param supplyChain what must be attached and signed, or null to check none of it
 */
public record VerifyRequest(List<Platform> requiredPlatforms, String requiredFrom, BinaryCheck binaryCheck,
    List<PathGlob> binaryCheckIgnore, Smoke smoke, SupplyChain supplyChain) {

  /** A request that checks no attestations or signatures. */
  public VerifyRequest(List<Platform> requiredPlatforms, String requiredFrom, BinaryCheck binaryCheck,
      List<PathGlob> binaryCheckIgnore, Smoke smoke) {
    this(requiredPlatforms, requiredFrom, binaryCheck, binaryCheckIgnore, smoke, null);
  }

  /**
   * The supply-chain gate.
   *
   * @param sbom every platform must have an SBOM (a CycloneDX referrer)
   * @param provenance every platform must have an in-toto provenance statement whose subject is its manifest
   * @param key the index and every platform must carry a signature this public key verifies (a Sigstore bundle or
   *     cosign's legacy {@code .sig}), or null to check no signatures
   */
  public record SupplyChain(boolean sbom, boolean provenance, VerificationKey key) {
    public boolean any() {
      return sbom || provenance || key != null;
    }
  }

  public VerifyRequest {
    requiredPlatforms = requiredPlatforms == null ? List.of() : List.copyOf(requiredPlatforms);
    binaryCheck = binaryCheck == null ? BinaryCheck.FAIL : binaryCheck;
    binaryCheckIgnore = binaryCheckIgnore == null ? List.of() : List.copyOf(binaryCheckIgnore);
  }

  /**
   * The smoke run.
   *
   * @param command the command to run instead of the image's entrypoint and cmd (empty: theirs)
   * @param expect a regular expression the output must contain a match of, or null
   * @param timeout how long a platform's program may run
   * @param workDirectory where image roots are unpacked (each in a fresh subdirectory, deleted afterwards)
   */
  public record Smoke(List<String> command, Pattern expect, Duration timeout, Path workDirectory) {
    public Smoke {
      command = command == null ? List.of() : List.copyOf(command);
    }
  }
}
