package io.github.multiarch.build;

import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code {os}}, {@code {arch}}, {@code {variant}} and {@code {platform}} in a source path, so that one
 * line of configuration names a different file per platform ({@code build/{platform}/hello} →
 * {@code build/linux-arm-v7/hello}).
 */
public final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

  private Placeholders() {}

  public static boolean hasAny(String text) {
    return PLACEHOLDER.matcher(text).find();
  }

  public static String expand(String text, Platform platform, String parameter) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "os" -> platform.os();
        case "arch" -> platform.architecture();
        case "variant" -> platform.variant();
        case "platform" -> platform.slug();
        default -> throw new InvalidInputException(parameter, "unknown placeholder {" + m.group(1) + "} in '"
            + text + "'; valid: {os}, {arch}, {variant}, {platform} (e.g. linux-arm-v7)");
      };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
