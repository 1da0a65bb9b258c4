package io.github.multiarch.oci;

/**
 * The user's configuration is wrong. Carries the name of the parameter at fault (as it is written in the
 * POM, e.g. {@code platforms}) so that the Maven adapter can name the element and the {@code -D} property.
 * Thrown before anything is written or pushed.
 */
public class InvalidInputException extends MultiarchException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidInputException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public InvalidInputException(String parameter, String message, Throwable cause) {
    super(message, cause);
    this.parameter = parameter;
  }

  /**
   * Refuses a number outside {@code [min, max]}, the one way every numeric parameter is checked.
   *
   * @param unit what the number counts, e.g. {@code bytes}, shown with the valid range
   */
  public static void checkRange(String parameter, long value, long min, long max, String unit) {
    if (value < min || value > max) {
      throw new InvalidInputException(parameter, parameter + " " + value + " is out of range; valid: " + min
          + " to " + max + " " + unit);
    }
  }

  /**
   * A parameter named inside a message, {@code ‹amend›}: each front end writes it its own way (the Maven goals
   * as {@code <amend> (-Dmultiarch.amend)}), so the engine needs no words of any.
   */
  public static String param(String name) {
    return "\u2039" + name + "\u203a";
  }

  /** A parameter with an example value, {@code ‹platforms=linux/amd64,linux/arm64›} ({@code -Dmultiarch.platforms=…}). */
  public static String param(String name, String value) {
    return "\u2039" + name + "=" + value + "\u203a";
  }

  /** The parameter at fault, as named in the POM (for example {@code platforms} or {@code tags}). */
  public String parameter() {
    return parameter;
  }
}
