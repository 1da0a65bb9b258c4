package io.github.multiarch.build;

import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import java.util.List;

/** A base image to build on: scratch, or an image (possibly multi-platform) from somewhere. */
public interface BaseImage {
  /** How the user wrote it, for logs and errors. */
  String reference();

  /**
   * The image to use for {@code platform}, chosen the way a runtime on that platform would choose it.
   *
   * @param parameter the parameter to name when there is no such image
   */
  ResolvedBase resolve(Platform platform, String parameter);

  /**
   * The bases to build {@code platform} on: one, or for a Windows platform without an os.version one per
   * os.version the base offers (those listed in {@code osVersions} when it is not empty).
   */
  default List<ResolvedBase> resolveAll(Platform platform, List<String> osVersions, String parameter) {
    if (!osVersions.isEmpty()) {
      throw new InvalidInputException(parameter, "osVersions of " + platform + " chooses among the os.versions "
          + "of a Windows base image, and base " + reference() + " offers none; remove osVersions or set a "
          + "Windows base (e.g. mcr.microsoft.com/windows/nanoserver)");
    }
    return List.of(resolve(platform, parameter));
  }
}
