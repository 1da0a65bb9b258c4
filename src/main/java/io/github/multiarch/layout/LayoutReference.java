package io.github.multiarch.layout;

import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local image named as {@code oci-layout:PATH[:TAG]} (a layout directory) or {@code oci-archive:PATH[:TAG]}
 * (a layout tar), the way skopeo and podman name them.
 *
 * @param tag the tag, or null for a layout's only image
 */
public record LayoutReference(String text, Path path, String tag, boolean archive) {
  public static final String LAYOUT_PREFIX = "oci-layout:";
  public static final String ARCHIVE_PREFIX = "oci-archive:";

  public static boolean isLayoutReference(String text) {
    return text != null && (text.trim().startsWith(LAYOUT_PREFIX) || text.trim().startsWith(ARCHIVE_PREFIX));
  }

  /** Parses the reference; relative paths resolve against {@code basedir}. */
  public static LayoutReference parse(String parameter, String text, Path basedir) {
    String trimmed = text.trim();
    boolean archive = trimmed.startsWith(ARCHIVE_PREFIX);
    String prefix = archive ? ARCHIVE_PREFIX : LAYOUT_PREFIX;
    String rest = trimmed.substring(prefix.length());
    String tag = null;
    String pathText = rest;
    int colon = rest.lastIndexOf(':');
    if (colon > 0 && colon < rest.length() - 1 && ImageName.isValidTag(rest.substring(colon + 1))) {
      pathText = rest.substring(0, colon);
      tag = rest.substring(colon + 1);
    }
    if (pathText.isEmpty()) {
      throw new InvalidInputException(parameter, "'" + text + "' names no path; expected " + prefix + "PATH[:TAG]");
    }
    return new LayoutReference(trimmed, basedir.resolve(pathText).normalize(), tag, archive);
  }

  /**
   * Opens the layout; an archive is extracted under {@code workDir} first.
   *
   * @throws InvalidInputException naming {@code parameter} when there is no layout there
   */
  public OciLayout open(String parameter, Path workDir) {
    try {
      if (archive) {
        if (!Files.isRegularFile(path)) {
          throw new InvalidInputException(parameter, "'" + text + "': no layout tar at " + path);
        }
        Path dir = workDir.resolve("layout-" + Integer.toHexString(path.toString().hashCode()));
        return LayoutArchive.extract(path, dir);
      }
      return OciLayout.open(path);
    } catch (InvalidInputException e) {
      throw e;
    } catch (MultiarchException e) {
      throw new InvalidInputException(parameter, "'" + text + "': " + e.getMessage(), e);
    }
  }
}
