package io.github.multiarch.layer;

import java.util.List;

/** What one layer holds: a name (for history and logs) and its files. */
public record LayerSpec(String name, List<LayerFile> files) {
  public LayerSpec {
    files = List.copyOf(files);
  }
}
