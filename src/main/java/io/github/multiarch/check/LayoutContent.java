package io.github.multiarch.check;

import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An OCI image layout directory as the source of the image: every distinct image or index its index.json names. */
public final class LayoutContent implements ImageContent {
  private final OciLayout layout;

  public LayoutContent(OciLayout layout) {
    this.layout = layout;
  }

  @Override
  public String describe() {
    return "OCI layout " + layout.root();
  }

  @Override
  public List<Root> roots() {
    Map<String, Descriptor> byDigest = new LinkedHashMap<>();
    Map<String, List<String>> names = new LinkedHashMap<>();
    for (Descriptor d : layout.readIndexJson().manifests()) {
      String key = d.digest().toString();
      byDigest.putIfAbsent(key, d.withAnnotations(Map.of()));
      String tag = d.annotations().get(OciLayout.REF_NAME);
      names.computeIfAbsent(key, k -> new ArrayList<>());
      if (tag != null) {
        names.get(key).add(tag);
      }
    }
    List<Root> roots = new ArrayList<>();
    byDigest.forEach((key, d) -> roots.add(new Root(d, names.get(key).isEmpty() ? key
        : String.join(", ", names.get(key)))));
    return roots;
  }

  @Override
  public byte[] manifest(Descriptor descriptor) throws IOException {
    return smallBlob(descriptor, "manifest", OciJson.MAX_MANIFEST_BYTES);
  }

  @Override
  public BlobInputStream blob(Descriptor descriptor, String what) throws IOException {
    Path path = layout.blobPath(descriptor.digest());
    try {
      return new BlobInputStream(Files.newInputStream(path), descriptor, what);
    } catch (NoSuchFileException e) {
      throw new MissingBlobException(what + " " + descriptor.digest() + " is missing from the layout (no "
          + layout.root().relativize(path) + ")", e);
    }
  }

  @Override
  public void close() {
    // nothing held open
  }
}
