package io.github.multiarch.image;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.registry.BlobCopier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An OCI image layout as an {@link ImageStore}: images by the tags of its {@code index.json}, blobs from its files. */
public final class LayoutStore implements ImageStore {
  private final OciLayout layout;
  private final Set<Digest> verified = new HashSet<>();

  public LayoutStore(OciLayout layout) {
    this.layout = layout;
  }

  public OciLayout layout() {
    return layout;
  }

  @Override
  public String describe() {
    return "OCI layout " + layout.root();
  }

  /** A top-level image or index of the layout, with the tags that name it (or its digest when none does). */
  public record Named(Descriptor descriptor, String name) {}

  /** Every distinct image or index {@code index.json} names, in order, with its tags. */
  public List<Named> all() {
    Map<String, Descriptor> byDigest = new LinkedHashMap<>();
    Map<String, List<String>> names = new LinkedHashMap<>();
    for (Descriptor d : layout.readIndexJson().manifests()) {
      if (OciLayout.isReferrerEntry(d)) {
        continue; // shown with the manifest it refers to
      }
      String key = d.digest().toString();
      byDigest.putIfAbsent(key, d.withAnnotations(Map.of()));
      names.computeIfAbsent(key, k -> new ArrayList<>());
      String tag = d.annotations().get(OciLayout.REF_NAME);
      if (tag != null) {
        names.get(key).add(tag);
      }
    }
    List<Named> all = new ArrayList<>();
    byDigest.forEach((key, d) -> all.add(new Named(d, names.get(key).isEmpty() ? key : String.join(", ",
        names.get(key)))));
    return all;
  }

  @Override
  public Manifest resolve(String reference) {
    Descriptor top;
    try {
      top = layout.resolve(reference);
    } catch (MultiarchException e) {
      throw new ImageNotFoundException(e.getMessage());
    }
    return manifest(top);
  }

  @Override
  public Manifest manifest(Descriptor descriptor) {
    if (!layout.hasBlob(descriptor.digest())) {
      throw new MultiarchException("manifest " + descriptor.digest() + " is missing from the layout "
          + layout.root() + " (no " + layout.root().relativize(layout.blobPath(descriptor.digest())) + ")");
    }
    return new Manifest(layout.readBlob(descriptor, OciJson.MAX_MANIFEST_BYTES), descriptor.mediaType(),
        descriptor.digest());
  }

  @Override
  public BlobInputStream openBlob(Descriptor descriptor, String what) throws IOException {
    Path path = layout.blobPath(descriptor.digest());
    try {
      return new BlobInputStream(Files.newInputStream(path), descriptor, what);
    } catch (NoSuchFileException e) {
      throw new MissingBlobException(what + " " + descriptor.digest() + " is missing from the layout (no "
          + layout.root().relativize(path) + ")", e);
    }
  }

  /** The layout's own file, checked first: a damaged layout is never copied elsewhere. */
  @Override
  public BlobCopier.LocalBlob localBlob(Descriptor descriptor) {
    verify(descriptor);
    return new BlobCopier.LocalBlob(layout.blobPath(descriptor.digest()), false);
  }

  /**
   * Checks a blob's file against its digest and size, once per store however often it is asked (before the
   * first request, and again when it is copied).
   *
   * @throws io.github.multiarch.layout.CorruptBlobException when the file does not match
   */
  public synchronized void verify(Descriptor descriptor) {
    if (!verified.contains(descriptor.digest())) {
      layout.verifyBlob(descriptor.digest(), descriptor.size());
      verified.add(descriptor.digest());
    }
  }

  @Override
  public void tag(byte[] bytes, String mediaType, List<String> tags) {
    Descriptor written = layout.writeBlob(mediaType, bytes);
    List<Descriptor> entries = new ArrayList<>();
    for (Descriptor d : layout.readIndexJson().manifests()) {
      if (!tags.contains(d.annotations().get(OciLayout.REF_NAME))) {
        entries.add(d);
      }
    }
    for (String tag : tags) {
      entries.add(written.withAnnotations(Map.of(OciLayout.REF_NAME, tag)));
    }
    layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, entries, Map.of()));
  }

  @Override
  public List<Descriptor> referrers(Digest subject) {
    return layout.referrers(subject);
  }

  @Override
  public String repositoryOn(String registry) {
    return null;
  }

  @Override
  public void close() {
    // nothing held
  }
}
