package io.github.multiarch.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The name of a layer tar entry, taken apart: its path below the image root (components without {@code .},
 * empty components or slashes at either end), whether it was written as an absolute name, whether it has
 * {@code ..} components, and what it means as an OCI whiteout.
 *
 * @param path the normalized path, e.g. {@code usr/bin/hello}; {@code ""} for the root itself. {@code ..}
 *     components are kept as they are (they are refused when unpacking and judged by name when scanning)
 * @param absolute the name started with {@code /}
 * @param dotDot the name has a {@code ..} component
 */
public record EntryName(String path, boolean absolute, boolean dotDot) {
  /** The prefix of whiteout files. */
  public static final String WHITEOUT_PREFIX = ".wh.";
  /** The name of the opaque-directory marker. */
  public static final String OPAQUE = ".wh..wh..opq";

  public static EntryName of(String name) {
    boolean absolute = name.startsWith("/");
    boolean dotDot = false;
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        dotDot = true;
      }
      parts.add(part);
    }
    return new EntryName(String.join("/", parts), absolute, dotDot);
  }

  /** The last component, or {@code ""} for the root. */
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The parent path, {@code ""} for an entry directly below the root. */
  public String parent() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** {@code .wh..wh..opq}: the parent directory hides what lower layers put in it. */
  public boolean isOpaqueMarker() {
    return fileName().equals(OPAQUE);
  }

  /** {@code .wh.NAME}: the entry deletes {@code NAME} of lower layers (not for {@code .wh..wh.*} metadata). */
  public boolean isWhiteout() {
    String name = fileName();
    return name.startsWith(WHITEOUT_PREFIX) && !name.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)
        && name.length() > WHITEOUT_PREFIX.length();
  }

  /** Any {@code .wh.} name, including AUFS metadata ({@code .wh..wh.plnk}) that is neither written nor judged. */
  public boolean isWhiteoutName() {
    return fileName().startsWith(WHITEOUT_PREFIX);
  }

  /** For a whiteout, the path it deletes. */
  public String whiteoutTarget() {
    String target = fileName().substring(WHITEOUT_PREFIX.length());
    String parent = parent();
    return parent.isEmpty() ? target : parent + "/" + target;
  }

  /** As shown in messages: {@code /usr/bin/hello}. */
  public static String display(String path) {
    return "/" + path;
  }
}
