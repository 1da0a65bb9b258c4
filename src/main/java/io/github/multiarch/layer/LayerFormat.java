package io.github.multiarch.layer;

/**
 * How a layer's tar lays out the container's files. Linux (and every other OS but Windows) takes the tar as
 * the file system itself. Windows takes a tar whose container files are below {@code Files/}, with a
 * {@code Hives/} directory for registry changes next to it, and the Windows file metadata in PAX records
 * ({@code MSWINDOWS.*}); see {@link LayerBuilder} for the records written and where they come from.
 */
public enum LayerFormat {
  LINUX,
  WINDOWS;

  /** The format of the layers of a platform with this {@code os}: Windows for {@code windows}, else Linux. */
  public static LayerFormat forOs(String os) {
    return "windows".equals(os) ? WINDOWS : LINUX;
  }
}
