package io.github.multiarch.maven;

import java.util.List;

/** A {@code <layer>}: a name and its {@code <files>}. */
public class LayerConfig {
  String name;
  List<FileConfig> files;
}
