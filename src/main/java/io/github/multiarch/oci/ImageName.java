package io.github.multiarch.oci;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.regex.Pattern;

/**
 * A registry image reference: registry, repository, and optionally a tag or a digest. Parsing is
 * jib-core's (well tested against Docker's grammar); this class adds the checks and messages we promise.
 *
 * @param tag the tag written in the reference, or null when there was none
 * @param digest the digest written in the reference, or null
 */
public record ImageName(String registry, String repository, String tag, String digest) {
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  public static ImageName parse(String parameter, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(parameter, "no image given; expected a reference such as "
          + "registry.example.com/team/app or localhost:5000/app");
    }
    String trimmed = text.trim();
    ImageReference reference;
    try {
      reference = ImageReference.parse(trimmed);
    } catch (InvalidImageReferenceException | RuntimeException e) {
      throw new InvalidInputException(parameter, "invalid image reference '" + text + "'; expected "
          + "[registry[:port]/]repository[:tag][@sha256:digest] with a lowercase repository, such as "
          + "registry.example.com/team/app:1.0");
    }
    if (reference.isScratch()) {
      throw new InvalidInputException(parameter, "'scratch' is not an image in a registry");
    }
    checkPort(parameter, text, reference.getRegistry());
    return new ImageName(reference.getRegistry(), reference.getRepository(),
        reference.usesDefaultTag() && !trimmed.endsWith(":latest") ? null : reference.getTag().orElse(null),
        reference.getDigest().orElse(null));
  }

  /** Refuses a registry port outside 1-65535, which jib-core's grammar lets through. */
  private static void checkPort(String parameter, String text, String registry) {
    int colon = registry.lastIndexOf(':');
    if (colon < 0 || registry.endsWith("]")) {
      return; // no port (an IPv6 literal in brackets ends with ']')
    }
    String port = registry.substring(colon + 1);
    boolean valid = port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    if (!valid) {
      throw new InvalidInputException(parameter, "invalid registry port '" + port + "' in image reference '" + text
          + "'; a port is a number from 1 to 65535, as in localhost:5000/team/app");
    }
  }

  /** Checks a tag against the distribution spec's grammar. */
  public static String validateTag(String parameter, String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new InvalidInputException(parameter, "invalid tag '" + tag + "'; a tag is 1 to 128 characters of "
          + "letters, digits, '_', '.' and '-', not starting with '.' or '-'");
    }
    return tag;
  }

  public static boolean isValidTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /** registry/repository, without tag or digest. */
  public String repositoryReference() {
    return registry + "/" + repository;
  }

  @Override
  public String toString() {
    return repositoryReference() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
