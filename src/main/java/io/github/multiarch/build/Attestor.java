package io.github.multiarch.build;

import io.github.multiarch.layer.BuiltLayer;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Platform;
import java.util.List;

/**
 * Makes the attestations of one platform's image as it is built (an SBOM, a provenance statement), each an
 * artifact that refers to the platform's manifest. The build writes them into the layout next to the image,
 * where {@code push} finds them.
 */
public interface Attestor {
  /**
   * One platform's image, as an attestation sees it.
   *
   * @param image the target repository, e.g. {@code registry.example.com/team/app}
   * @param tags the tags the index gets
   * @param manifest the platform's manifest descriptor (what the attestations refer to)
   * @param files every regular file the build put in the platform's own layers, with its content digest
   * @param baseReference the base as configured ({@code scratch}, a registry reference, {@code oci-layout:…})
   * @param baseManifest the base's manifest for this platform, or null for scratch
   */
  record PlatformBuild(String image, List<String> tags, Platform platform, Descriptor manifest,
      List<BuiltLayer.FileDigest> files, String baseReference, Descriptor baseManifest) {
    public PlatformBuild {
      tags = List.copyOf(tags);
      files = List.copyOf(files);
    }
  }

  /** The artifacts that refer to {@code build.manifest()}, in a stable order. */
  List<Artifact> attest(PlatformBuild build);
}
