package io.github.multiarch.index;

import io.github.multiarch.EngineLog;
import io.github.multiarch.image.LayoutCompletion;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.image.RegistryStore;
import io.github.multiarch.layout.LayoutReference;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.registry.MirroredRepository;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryMirrors;
import java.nio.file.Path;
import java.util.function.Function;

/** Turns a reference the user wrote into an {@link ImageSource} on the one read model. */
public final class ImageSources {
  private ImageSources() {}

  /**
   * {@code oci-layout:PATH[:TAG]}, {@code oci-archive:PATH[:TAG]} or a registry reference (tag or digest).
   *
   * @param workDir where an archive is extracted and registry blobs are downloaded
   * @param clients a client per registry host, made only when a registry reference needs one
   */
  public static ImageSource parse(String parameter, String text, Path basedir, Path workDir,
      Function<String, RegistryClient> clients) {
    return parse(parameter, text, basedir, workDir, clients, RegistryMirrors.none(), EngineLog.NONE);
  }

  /** As {@link #parse(String, String, Path, Path, Function)}, reading a registry image through its mirrors. */
  public static ImageSource parse(String parameter, String text, Path basedir, Path workDir,
      Function<String, RegistryClient> clients, RegistryMirrors mirrors, EngineLog log) {
    if (LayoutReference.isLayoutReference(text)) {
      LayoutReference reference = LayoutReference.parse(parameter, text, basedir);
      OciLayout layout = reference.open(parameter, workDir);
      // a build's output may lack base layers it left in their registry: fetched before anything reads it
      LayoutCompletion.complete(layout, clients, mirrors, false, log);
      return new ImageSource(parameter, text.trim(), new LayoutStore(layout), reference.tag(), reference.tag());
    }
    ImageName name = ImageName.parse(parameter, text);
    String lookup = name.digest() != null ? name.digest() : name.tag() != null ? name.tag() : "latest";
    return new ImageSource(parameter, text.trim(), new RegistryStore(new MirroredRepository(name, mirrors, clients, log),
        name, workDir.resolve("registry")), lookup, name.tag());
  }
}
