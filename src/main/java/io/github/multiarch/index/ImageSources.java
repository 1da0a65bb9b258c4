package io.github.multiarch.index;

import io.github.multiarch.layout.LayoutReference;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.registry.RegistryClient;
import java.nio.file.Path;
import java.util.function.Function;

/** Turns a reference the user wrote into an {@link ImageSource}. */
public final class ImageSources {
  private ImageSources() {}

  /**
   * {@code oci-layout:PATH[:TAG]}, {@code oci-archive:PATH[:TAG]} or a registry reference (tag or digest).
   *
   * @param clients a client per registry host, made only when a registry reference needs one
   */
  public static ImageSource parse(String parameter, String text, Path basedir, Path workDir,
      Function<String, RegistryClient> clients) {
    if (LayoutReference.isLayoutReference(text)) {
      LayoutReference reference = LayoutReference.parse(parameter, text, basedir);
      return new LayoutSource(text.trim(), reference.open(parameter, workDir), reference.tag());
    }
    ImageName name = ImageName.parse(parameter, text);
    return new RegistrySource(parameter, text.trim(), name, clients.apply(name.registry()));
  }
}
