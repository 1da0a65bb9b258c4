package io.github.multiarch.supply;

import java.util.Objects;

/** The program that wrote a document, named in it: this plugin, by name and version. */
public record Tool(String name, String version) {
  public Tool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }
}
