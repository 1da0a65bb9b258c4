package io.github.multiarch.build;

import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.Platform;
import java.util.List;

/** The empty base: no layers, an empty config. */
public final class ScratchBase implements BaseImage {
  @Override
  public String reference() {
    return "scratch";
  }

  @Override
  public ResolvedBase resolve(Platform platform, String parameter) {
    return new ResolvedBase("scratch", null, null, ImageConfig.scratch(platform), List.of(), null, null);
  }
}
