package io.github.multiarch.check;

import io.github.multiarch.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What one layer holds that matters for judging binaries, independent of the platform: every executable
 * header found (ELF or PE, by path), the whiteouts and opaque directories, and the paths of all other
 * entries (which replace what lower layers had there). Made in one streaming pass over the layer; kept only as
 * long as a platform still has to apply it (a layer shared by several platforms is read once).
 */
public final class LayerScan implements LayerReader.EntryVisitor {
  private final Map<String, Executable> executables = new LinkedHashMap<>();
  private final List<String> whiteouts = new ArrayList<>();
  private final List<String> opaqueDirectories = new ArrayList<>();
  private final List<String> directories = new ArrayList<>();
  private final List<String> others = new ArrayList<>();
  private final boolean readHeaders;
  private long files;
  private Digest diffId;

  /** @param readHeaders whether to read the first bytes of each regular file (false: entries only) */
  public LayerScan(boolean readHeaders) {
    this.readHeaders = readHeaders;
  }

  @Override
  public void entry(TarArchiveEntry entry, EntryName name, InputStream content) throws IOException {
    if (name.isOpaqueMarker()) {
      opaqueDirectories.add(name.parent());
      return;
    }
    if (name.isWhiteout()) {
      whiteouts.add(name.whiteoutTarget());
      return;
    }
    if (name.isWhiteoutName() || name.path().isEmpty()) {
      return; // AUFS metadata; the root itself
    }
    if (entry.isDirectory()) {
      directories.add(name.path());
      return;
    }
    others.add(name.path());
    if (entry.isLink()) { // a hard link to an earlier file of this layer: the same content under another name
      Executable target = executables.get(EntryName.of(entry.getLinkName()).path());
      if (target != null) {
        executables.put(name.path(), target);
      }
      return;
    }
    if (entry.isFile()) {
      files++;
      if (readHeaders) {
        ExecutableReader.read(content).ifPresent(e -> executables.put(name.path(), e));
      }
    }
  }

  void setDiffId(Digest diffId) {
    this.diffId = diffId;
  }

  /** The digest of the uncompressed layer, once read. */
  public Digest diffId() {
    return diffId;
  }

  /** Regular files in the layer. */
  public long files() {
    return files;
  }

  public Map<String, Executable> executables() {
    return executables;
  }

  public List<String> whiteouts() {
    return whiteouts;
  }

  public List<String> opaqueDirectories() {
    return opaqueDirectories;
  }

  public List<String> directories() {
    return directories;
  }

  /** Paths of entries that are not directories (files, links, devices), executables included. */
  public List<String> others() {
    return others;
  }
}
