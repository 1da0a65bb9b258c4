package io.github.multiarch.build;

import io.github.multiarch.image.CachingRegistryStore;
import io.github.multiarch.image.LayoutCompletion;
import io.github.multiarch.image.LayoutStore;
import io.github.multiarch.layout.LayoutReference;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.MirroredRepository;
import java.nio.file.Path;

/** Turns the {@code from} text into a base image. */
public final class BaseImages {
  public static final String LAYOUT_PREFIX = LayoutReference.LAYOUT_PREFIX;
  public static final String ARCHIVE_PREFIX = LayoutReference.ARCHIVE_PREFIX;

  private BaseImages() {}

  /**
   * Accepts {@code scratch}, {@code oci-layout:PATH[:TAG]} (a layout directory) and
   * {@code oci-archive:PATH[:TAG]} (a layout tar). Relative paths are resolved against {@code basedir}.
   *
   * @param workDir where an archive may be extracted
   */
  public static BaseImage parse(String parameter, String from, Path basedir, Path workDir) {
    return parse(parameter, from, basedir, workDir, null);
  }

  /**
   * As {@link #parse(String, String, Path, Path)}, and also a registry reference ({@code registry/repo:tag} or
   * {@code @sha256:…}) when {@code registries} is given.
   */
  public static BaseImage parse(String parameter, String from, Path basedir, Path workDir,
      RegistryAccess registries) {
    if (from == null || from.isBlank() || from.trim().equals("scratch")) {
      return new ScratchBase();
    }
    String text = from.trim();
    if (LayoutReference.isLayoutReference(text)) {
      LayoutReference reference = LayoutReference.parse(parameter, text, basedir);
      try {
        OciLayout layout = reference.open(parameter, workDir);
        if (registries != null) { // another build's output may lack base layers it left in their registry
          LayoutCompletion.complete(layout, registries.clients(), registries.mirrors(), registries.offline(),
              registries.log());
        }
        return new StoreBase(text, new LayoutStore(layout), reference.tag(), null);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(parameter, "base image " + e.getMessage(), e);
      }
    }
    ImageName name = ImageName.parse(parameter, text);
    if (registries == null) {
      throw new InvalidInputException(parameter, "base image '" + from + "' is a registry reference, and no "
          + "registry access was configured for this build");
    }
    CachingRegistryStore store = new CachingRegistryStore(text, parameter, name,
        () -> new MirroredRepository(name, registries.mirrors(), registries.clients(), registries.log()),
        registries.cacheDirectory(), registries.offline(),
        registries.log());
    return new StoreBase(text, store, store.lookup(), name.repositoryReference(), registries.deferLayers());
  }
}
