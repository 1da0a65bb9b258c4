package io.github.multiarch.check;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The executables of an image's file system as its layers are applied in order, with the layers' whiteouts,
 * opaque directories and replacements taken into account: what a container would see. Only executables are
 * kept, so the memory needed grows with their number, not with the number of files.
 */
public final class ImageFiles {
  /** An executable of the final file system and the layer (0-based) that put it there. */
  public record Found(Executable executable, int layer) {}

  private final TreeMap<String, Found> current = new TreeMap<>();

  /** Applies the next layer: first its deletions of lower content, then its own files. */
  public void apply(LayerScan scan, int layer) {
    for (String path : scan.whiteouts()) {
      removeTree(path);
    }
    for (String dir : scan.opaqueDirectories()) {
      removeChildren(dir);
    }
    for (String dir : scan.directories()) {
      current.remove(dir); // a directory replaces a lower file; a lower directory's content stays
    }
    for (String path : scan.others()) {
      removeTree(path); // a file or link replaces whatever a lower layer had there, directories included
    }
    scan.executables().forEach((path, executable) -> current.put(path, new Found(executable, layer)));
  }

  /** The executables of the final file system, by path. */
  public NavigableMap<String, Found> executables() {
    return java.util.Collections.unmodifiableNavigableMap(current);
  }

  private void removeTree(String path) {
    current.remove(path);
    removeChildren(path);
  }

  private void removeChildren(String dir) {
    if (dir.isEmpty()) {
      current.clear();
      return;
    }
    Map<String, Found> below = current.subMap(dir + "/", true, dir + "0", false); // '0' follows '/'
    below.clear();
  }
}
