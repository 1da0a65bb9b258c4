package io.github.multiarch.check;

import io.github.multiarch.oci.InvalidInputException;
import java.util.regex.Pattern;

/**
 * A path pattern over image paths ({@code /usr/lib/firmware/**}): {@code **} matches anything, {@code *} and
 * {@code ?} match within one path component. A pattern without a leading {@code /} matches at any depth.
 */
public final class PathGlob {
  private final String text;
  private final Pattern pattern;

  private PathGlob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  public static PathGlob parse(String parameter, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(parameter, "empty path pattern; write e.g. /opt/firmware/** or *.ko");
    }
    String glob = text.trim();
    StringBuilder regex = new StringBuilder(glob.startsWith("/") ? "" : "(?:.*/)?");
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new PathGlob(glob, Pattern.compile(regex.toString()));
  }

  /** Whether {@code path} ({@code /usr/bin/x}) matches. */
  public boolean matches(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return pattern.matcher(text.startsWith("/") ? p : p.substring(1)).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
