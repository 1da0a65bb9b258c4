package io.github.multiarch.supply;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one platform's SBOM describes.
 *
 * @param imageName the image's repository, such as {@code registry.example.com/team/hello}
 * @param tags the tags the image gets; the first is the image's version in the SBOM
 * @param manifestDigest the platform manifest's digest, or null when it is not known yet
 * @param files every file the plugin put into this platform's layers
 * @param libraries the application's runtime libraries; empty when there are none
 * @param mergedLibraries library components read from an existing BOM, used instead of {@code libraries};
 *     null to use {@code libraries}
 * @param baseImage the base image, or null for scratch
 * @param created the build's reproducible timestamp, written as the SBOM's timestamp
 * @param tool the program writing the SBOM
 */
public record SbomInput(String imageName, List<String> tags, Platform platform, Digest manifestDigest,
    List<ImageFile> files, List<Library> libraries, MergedLibraries mergedLibraries, PinnedImage baseImage,
    Instant created, Tool tool) {

  public SbomInput {
    Objects.requireNonNull(imageName, "imageName");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(tool, "tool");
    tags = tags == null ? List.of() : List.copyOf(tags);
    files = files == null ? List.of() : List.copyOf(files);
    libraries = libraries == null ? List.of() : List.copyOf(libraries);
  }

  /** The same input with the library components of an existing BOM in place of the computed libraries. */
  public SbomInput withMergedLibraries(MergedLibraries merged) {
    return new SbomInput(imageName, tags, platform, manifestDigest, files, libraries, merged, baseImage, created,
        tool);
  }
}
