package io.github.multiarch.index;

import io.github.multiarch.image.Manifest;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.ImageConfig;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.ImageManifest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.registry.Attachments;
import io.github.multiarch.registry.Parallel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link AnnotateRequest} to an index: platform fields and annotations of selected entries,
 * annotations of the index, removal of entries. The children are untouched; only the index changes.
 */
public final class IndexAnnotator {
  private IndexAnnotator() {}

  /** The changed index; {@code source} gives the children's configs to check platform changes against. */
  public static ImageIndex annotate(ImageIndex index, AnnotateRequest request, ImageSource source) {
    if (MediaTypes.DOCKER_LIST.equals(index.mediaType())
        && (!request.addAnnotations().isEmpty() || !request.addIndexAnnotations().isEmpty())) {
      throw new InvalidInputException("annotations", source.reference() + " is a Docker manifest list, which "
          + "cannot carry annotations; recreate it with format oci");
    }
    if ((request.changesPlatform() || request.removeEntries()) && !request.hasSelection()) {
      throw new InvalidInputException("platforms", "select the entries to " + (request.removeEntries() ? "remove"
          : "change") + " with " + InvalidInputException.param("platforms", "os/arch[/variant]") + " or "
          + InvalidInputException.param("digests", "sha256:…"));
    }
    List<Descriptor> selected = select(index, request, source);
    Map<Descriptor, Platform> declared = declaredPlatforms(selected, request, source);
    List<Descriptor> entries = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      if (!selected.contains(entry)) {
        entries.add(entry);
        continue;
      }
      if (request.removeEntries()) {
        continue;
      }
      Descriptor changed = entry;
      if (request.changesPlatform()) {
        changed = changed.withPlatform(newPlatform(entry, request, declared.get(entry)));
      }
      Map<String, String> annotations = new HashMap<>(changed.annotations());
      request.removeAnnotations().forEach(annotations::remove);
      annotations.putAll(request.addAnnotations());
      entries.add(changed.withAnnotations(annotations));
    }
    if (entries.isEmpty()) {
      throw new InvalidInputException("removeEntries", "removing " + selected.size() + " entries would leave "
          + source.reference() + " empty");
    }
    Map<String, String> indexAnnotations = new HashMap<>(index.annotations());
    request.removeIndexAnnotations().forEach(indexAnnotations::remove);
    indexAnnotations.putAll(request.addIndexAnnotations());
    return new ImageIndex(index.mediaType(), entries, indexAnnotations, index.extraFields());
  }

  private static List<Descriptor> select(ImageIndex index, AnnotateRequest request, ImageSource source) {
    if (!request.hasSelection()) {
      return index.manifests();
    }
    List<Descriptor> selected = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      boolean byDigest = request.selectDigests().contains(entry.digest());
      boolean byPlatform = entry.platform() != null && request.selectPlatforms().stream()
          .anyMatch(p -> p.os().equals(entry.platform().os()) && p.architecture().equals(entry.platform().architecture())
              && p.variant().equals(entry.platform().variant())
              && (p.osVersion().isEmpty() || p.osVersion().equals(entry.platform().osVersion())));
      if (byDigest || byPlatform) {
        selected.add(entry);
      }
    }
    if (selected.isEmpty()) {
      List<String> present = index.manifests().stream().map(d -> (d.platform() == null ? "-" : d.platform().describe())
          + " " + d.digest()).toList();
      List<String> wanted = new ArrayList<>();
      request.selectPlatforms().forEach(p -> wanted.add(p.describe()));
      request.selectDigests().forEach(d -> wanted.add(d.toString()));
      throw new InvalidInputException(request.selectPlatforms().isEmpty() ? "digests" : "platforms", "no entry of "
          + source.reference() + " matches the selection (" + String.join(", ", wanted) + "); it has: "
          + String.join(", ", present));
    }
    return selected;
  }

  /**
   * The platform each selected image's config declares, where a platform change is to be checked against it:
   * manifests and configs read side by side, so that changing many entries takes the round trips of one.
   */
  private static Map<Descriptor, Platform> declaredPlatforms(List<Descriptor> selected, AnnotateRequest request,
      ImageSource source) {
    if (!request.changesPlatform() || request.force() || request.removeEntries()) {
      return Map.of();
    }
    List<Descriptor> images = selected.stream().filter(entry -> MediaTypes.isManifest(entry.mediaType())).toList();
    List<Platform> platforms = Parallel.map(images, Attachments.REQUESTS_AT_ONCE, "multiarch-annotate",
        "reading the selected images' configs", entry -> {
          Manifest manifest = source.manifest(entry);
          ImageManifest parsed = ImageManifest.parse(manifest.bytes(), manifest.mediaType(), source.reference());
          return ImageConfig.parse(source.smallBlob(parsed.config()), "config of " + entry.digest()).platform();
        });
    Map<Descriptor, Platform> declared = new HashMap<>();
    for (int i = 0; i < images.size(); i++) {
      declared.put(images.get(i), platforms.get(i));
    }
    return declared;
  }

  /** {@code declared}: what the entry's image config says, null when not checked (an index, or {@code force}). */
  private static Platform newPlatform(Descriptor entry, AnnotateRequest request, Platform declared) {
    Platform old = entry.platform() != null ? entry.platform() : Platform.lenient("", "", "", "", List.of());
    Platform wanted = Platform.of("platforms",
        request.os() != null ? request.os() : old.os(),
        request.architecture() != null ? request.architecture() : old.architecture(),
        request.variant() != null ? request.variant() : (request.architecture() != null ? "" : old.variant()),
        request.osVersion() != null ? request.osVersion() : old.osVersion(),
        request.osFeatures() != null ? request.osFeatures() : old.osFeatures());
    if (declared != null) {
      boolean agrees = declared.os().equals(wanted.os()) && declared.architecture().equals(wanted.architecture())
          && declared.variant().equals(wanted.variant())
          && (declared.osVersion().isEmpty() || declared.osVersion().equals(wanted.osVersion()));
      if (!agrees) {
        throw new InvalidInputException("force", "entry " + entry.digest() + " would say " + wanted.describe()
            + " but its image config says " + declared.describe() + "; a runtime would pull the wrong image. "
            + "Set " + InvalidInputException.param("force", "true") + " only if the config is what is wrong");
      }
    }
    return wanted;
  }
}
