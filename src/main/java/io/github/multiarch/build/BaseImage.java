package io.github.multiarch.build;

import io.github.multiarch.oci.Platform;

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
}
