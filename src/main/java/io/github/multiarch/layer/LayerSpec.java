package io.github.multiarch.layer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one layer holds: a name (for history and logs) and its files.
 *
 * @param filesByOs the files of the layer for platforms of an {@code os} (e.g. {@code windows}) where they differ
 *     from {@code files}: a Java application's classpath file names {@code C:\app\...} on Windows. Empty for
 *     the layers whose files every platform shares
 */
public record LayerSpec(String name, List<LayerFile> files, Map<String, List<LayerFile>> filesByOs) {
  public LayerSpec {
    files = List.copyOf(files);
    Map<String, List<LayerFile>> copy = new LinkedHashMap<>();
    if (filesByOs != null) {
      filesByOs.forEach((os, osFiles) -> copy.put(os, List.copyOf(osFiles)));
    }
    filesByOs = Map.copyOf(copy);
  }

  /** A layer every platform gets as it is. */
  public LayerSpec(String name, List<LayerFile> files) {
    this(name, files, Map.of());
  }

  /** The layer as platforms of {@code os} get it: its files for that os, or the common ones. */
  public LayerSpec forOs(String os) {
    return filesByOs.isEmpty() ? this : new LayerSpec(name, filesByOs.getOrDefault(os, files));
  }
}
