package io.github.multiarch.layout;

import io.github.multiarch.oci.Artifact;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image layout directory: {@code oci-layout}, {@code index.json} and {@code blobs/ALG/HEX}. Blobs
 * are written once under their digest, by moving a fully written and hashed temporary file into place, so
 * a reader never sees a partial blob and concurrent writers of the same blob do not interfere.
 */
public final class OciLayout {
  /** The annotation that names a tag in a layout's {@code index.json} (and only there). */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** Marks an {@code index.json} entry as a referrer of the manifest it names (see {@link #referrerEntry}). */
  public static final String SUBJECT_ANNOTATION = "io.github.multiarch.referrer.subject";
  private static final String LAYOUT_FILE = "oci-layout";
  private static final String LAYOUT_CONTENT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  private final Path root;
  /** How messages name the root: the directory, or the tar it was extracted from ({@code FILE.tar!}). */
  private final String shownAs;

  private OciLayout(Path root) {
    this(root, root.toString());
  }

  private OciLayout(Path root, String shownAs) {
    this.root = root;
    this.shownAs = shownAs;
  }

  /** Creates an empty layout at {@code dir} (made if missing; must not already hold a layout's files). */
  public static OciLayout create(Path dir) {
    try {
      Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
      Files.writeString(dir.resolve(LAYOUT_FILE), LAYOUT_CONTENT, StandardCharsets.UTF_8);
      OciLayout layout = new OciLayout(dir);
      layout.writeIndexJson(new ImageIndex(MediaTypes.OCI_INDEX, List.of(), Map.of()));
      return layout;
    } catch (IOException e) {
      throw new MultiarchException("cannot create an OCI layout at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing layout, checking that it is one. */
  public static OciLayout open(Path dir) {
    return open(dir, dir.toString());
  }

  /**
   * Opens a layout extracted from elsewhere, whose messages name that place ({@code shownAs}) instead of the
   * directory it was extracted to, so the user reads the name of their own file.
   */
  public static OciLayout open(Path dir, String shownAs) {
    if (!Files.isDirectory(dir)) {
      throw new MultiarchException("no OCI layout at " + dir + ": not a directory");
    }
    if (!Files.isRegularFile(dir.resolve(LAYOUT_FILE)) || !Files.isRegularFile(dir.resolve("index.json"))) {
      throw new MultiarchException("no OCI layout at " + dir + ": it needs an oci-layout file and an index.json");
    }
    OciLayout layout = new OciLayout(dir, shownAs);
    layout.readIndexJson(); // a damaged index.json is refused here, where callers name the parameter at fault
    return layout;
  }

  public Path root() {
    return root;
  }

  /** {@code path} (below the root) as messages name it. */
  String shown(Path path) {
    return path.startsWith(root) ? shownAs + (shownAs.endsWith("!") ? "" : "/") + root.relativize(path)
        : path.toString();
  }

  public Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  public boolean hasBlob(Digest digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  /** Writes small content (a manifest, an index, a config) and returns its descriptor. */
  public Descriptor writeBlob(String mediaType, byte[] bytes) {
    Digest digest = Digest.sha256(bytes);
    if (!hasBlob(digest)) {
      Path temp = newTempFile();
      try {
        Files.write(temp, bytes);
        adoptBlob(temp, digest);
      } catch (IOException e) {
        deleteQuietly(temp);
        throw new MultiarchException("cannot write blob " + digest + " into " + root + ": " + e.getMessage(), e);
      }
    }
    return new Descriptor(mediaType, digest, bytes.length);
  }

  /** Streams content into the layout, hashing while writing; returns its digest and size. */
  public Descriptor writeBlob(String mediaType, InputStream content) {
    Path temp = newTempFile();
    MessageDigest sha = Digest.newSha256();
    long size;
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
      size = content.transferTo(out);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new MultiarchException("cannot write a blob into " + root + ": " + e.getMessage(), e);
    }
    Digest digest = Digest.fromSha256(sha.digest());
    adoptBlob(temp, digest);
    return new Descriptor(mediaType, digest, size);
  }

  /**
   * Moves a file whose digest the caller computed while writing it into the layout under that digest. If
   * the blob is already there the file is deleted instead: the same digest is the same content.
   */
  public void adoptBlob(Path file, Digest digest) {
    Path target = blobPath(digest);
    try {
      Files.createDirectories(target.getParent());
      if (Files.exists(target)) {
        Files.delete(file);
        return;
      }
      try {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(file, target);
      }
    } catch (FileAlreadyExistsException e) {
      deleteQuietly(file);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new MultiarchException("cannot store blob " + digest + " in " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a blob once and checks it against its digest and, when {@code size} is not negative, its size.
   *
   * @throws CorruptBlobException when it does not match
   * @throws MultiarchException when it is missing or cannot be read
   */
  public void verifyBlob(Digest digest, long size) {
    Path path = blobPath(digest);
    if (!Files.isRegularFile(path)) {
      throw new MultiarchException("blob " + digest + " is missing from the layout " + shownAs);
    }
    MessageDigest sha = digest.newDigester();
    long read = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(path)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha.update(buffer, 0, n);
        read += n;
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot read blob " + path + ": " + e.getMessage(), e);
    }
    byte[] found = sha.digest();
    if (!digest.matches(found) || (size >= 0 && read != size)) {
      throw new CorruptBlobException(path, shown(path), digest, size, Digest.fromSha256(found), read);
    }
  }

  /**
   * Copies a blob of another layout here (a hard link where the file system allows it), after checking it
   * against its digest and size: a corrupt source never gets in.
   *
   * @param size the size its descriptor gives, or -1 when unknown
   * @throws CorruptBlobException when the source does not match
   */
  public void copyBlobFrom(OciLayout source, Digest digest, long size) {
    if (hasBlob(digest)) {
      return;
    }
    source.verifyBlob(digest, size);
    copyCheckedBlobFrom(source, digest);
  }

  /**
   * Copies a blob of another layout here without reading it again: for a blob the caller has just verified,
   * or has just written and hashed itself (a layer built into this process's output).
   */
  public void copyCheckedBlobFrom(OciLayout source, Digest digest) {
    copyCheckedFile(source.blobPath(digest), digest);
  }

  /** Copies a file the caller has checked against {@code digest} here as that blob (a hard link where possible). */
  public void copyCheckedFile(Path from, Digest digest) {
    if (hasBlob(digest)) {
      return;
    }
    Path temp = newTempFile();
    try {
      Files.delete(temp);
      try {
        Files.createLink(temp, from);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
      }
      adoptBlob(temp, digest);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new MultiarchException("cannot copy blob " + digest + " from " + from + ": " + e.getMessage(), e);
    }
  }

  /** Reads a small blob whole, checking its size and digest against the descriptor. */
  public byte[] readBlob(Descriptor descriptor, int maxBytes) {
    Path path = blobPath(descriptor.digest());
    try {
      if (!Files.isRegularFile(path)) {
        throw new MultiarchException("blob " + descriptor.digest() + " is missing from the layout " + shownAs);
      }
      long size = Files.size(path);
      if (size > maxBytes) {
        throw new MultiarchException("blob " + descriptor.digest() + " in " + shownAs + " is " + size
            + " bytes, over the limit of " + maxBytes);
      }
      byte[] bytes = Files.readAllBytes(path);
      byte[] found = descriptor.digest().newDigester().digest(bytes);
      if (bytes.length != descriptor.size() || !descriptor.digest().matches(found)) {
        throw new CorruptBlobException(path, shown(path), descriptor.digest(), descriptor.size(), Digest.fromSha256(found),
            bytes.length);
      }
      return bytes;
    } catch (IOException e) {
      throw new MultiarchException("cannot read blob " + descriptor.digest() + " in " + root + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Opens a blob for streaming. The stream checks the digest when it reaches the end and throws if the
   * content does not match, so a consumer that reads to the end never accepts corrupt content silently.
   */
  public InputStream openBlob(Digest digest) {
    Path path = blobPath(digest);
    try {
      return new VerifyingInputStream(Files.newInputStream(path), digest, path.toString());
    } catch (IOException e) {
      throw new MultiarchException("blob " + digest + " is missing from the layout " + shownAs, e);
    }
  }

  public ImageIndex readIndexJson() {
    Path file = root.resolve("index.json");
    try {
      return ImageIndex.parse(Files.readAllBytes(file), MediaTypes.OCI_INDEX, shown(file));
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void writeIndexJson(ImageIndex index) {
    Path file = root.resolve("index.json");
    Path temp = null;
    try {
      // a temporary file of its own: two writers (builds sharing a cache) never write into each other's
      temp = Files.createTempFile(root, ".index.json-", ".tmp");
      Files.write(temp, index.toBytes());
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (temp != null) {
        deleteQuietly(temp);
      }
      throw new MultiarchException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The tags named in {@code index.json}, in order. */
  public List<String> tags() {
    List<String> tags = new ArrayList<>();
    for (Descriptor d : readIndexJson().manifests()) {
      String name = d.annotations().get(REF_NAME);
      if (name != null) {
        tags.add(name);
      }
    }
    return tags;
  }

  /**
   * The descriptor in {@code index.json} for {@code tag}, or the only one when {@code tag} is null and
   * there is exactly one.
   */
  public Descriptor resolve(String tag) {
    List<Descriptor> entries = readIndexJson().manifests().stream().filter(d -> !isReferrerEntry(d)).toList();
    if (tag == null) {
      if (entries.size() == 1) {
        return entries.get(0);
      }
      throw new MultiarchException("the OCI layout " + shownAs + " holds " + entries.size()
          + " images; name one with :TAG (tags: " + describeTags() + ")");
    }
    for (Descriptor d : entries) {
      String name = d.annotations().get(REF_NAME);
      if (Objects.equals(name, tag) || (name != null && name.endsWith(":" + tag))) {
        return d;
      }
    }
    throw new MultiarchException("the OCI layout " + shownAs + " has no tag '" + tag + "' (tags: " + describeTags()
        + ")");
  }

  /**
   * Writes an artifact's blobs and manifest into the layout. Listing it in {@code index.json} is the caller's
   * part ({@link #referrerEntry}), done with the rest of the index in one write.
   */
  public Descriptor writeArtifact(Artifact artifact) {
    artifact.blobs().forEach((digest, bytes) -> {
      if (!hasBlob(digest)) {
        writeBlob(null, bytes);
      }
    });
    return writeBlob(artifact.descriptor().mediaType(), artifact.manifestBytes());
  }

  /**
   * How a layout lists a referrer: an untagged {@code index.json} entry with its {@code artifactType} and its
   * subject's digest in an annotation. The image layout spec has no referrers API; like oras-go's layout store
   * we list them in {@code index.json} so that every reader keeps them (a blob nothing lists may be collected
   * by {@code umoci gc}), and the annotation finds them without opening each manifest.
   */
  public static Descriptor referrerEntry(Artifact artifact, Digest subject) {
    Map<String, String> annotations = new TreeMap<>(artifact.descriptor().annotations());
    annotations.put(SUBJECT_ANNOTATION, subject.toString());
    return artifact.descriptor().withAnnotations(annotations);
  }

  /** Whether an {@code index.json} entry lists a referrer rather than an image. */
  public static boolean isReferrerEntry(Descriptor entry) {
    return entry.annotations().containsKey(SUBJECT_ANNOTATION);
  }

  /** The referrers of {@code subject} that {@code index.json} lists, in order, without the layout's annotation. */
  public List<Descriptor> referrers(Digest subject) {
    return referrersBySubject().getOrDefault(subject, List.of());
  }

  /** Every referrer {@code index.json} lists, by the digest it refers to (one read of index.json). */
  public Map<Digest, List<Descriptor>> referrersBySubject() {
    Map<Digest, List<Descriptor>> referrers = new LinkedHashMap<>();
    for (Descriptor d : readIndexJson().manifests()) {
      String subject = d.annotations().get(SUBJECT_ANNOTATION);
      if (subject != null && Digest.isValid(subject)) {
        Map<String, String> annotations = new TreeMap<>(d.annotations());
        annotations.remove(SUBJECT_ANNOTATION);
        referrers.computeIfAbsent(Digest.parse(subject), k -> new ArrayList<>()).add(d.withAnnotations(annotations));
      }
    }
    return referrers;
  }

  private String describeTags() {
    List<String> tags = tags();
    return tags.isEmpty() ? "none" : String.join(", ", tags);
  }

  private Path newTempFile() {
    try {
      Path dir = root.resolve("blobs");
      Files.createDirectories(dir);
      return Files.createTempFile(dir, ".partial-", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file in " + root, e);
    }
  }

  /** A temporary file next to the blobs, on the same file system, for {@link #adoptBlob}. */
  public Path newBlobTempFile() {
    return newTempFile();
  }

  static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort: a leftover temporary file is harmless and named .partial-*
    }
  }

  /** Checks the digest of everything read once the stream is exhausted. */
  private static final class VerifyingInputStream extends DigestInputStream {
    private final Digest expected;
    private final String what;
    private boolean checked;

    VerifyingInputStream(InputStream in, Digest expected, String what) {
      super(in, expected.newDigester());
      this.expected = expected;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n < 0) {
        check();
      }
      return n;
    }

    private void check() throws IOException {
      if (!checked) {
        checked = true;
        if (!expected.matches(getMessageDigest().digest())) {
          throw new IOException(what + " does not match its digest " + expected + ": the content is corrupt");
        }
      }
    }
  }
}
