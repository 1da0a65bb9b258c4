package io.github.multiarch.check;

import io.github.multiarch.oci.InvalidInputException;
import java.util.Locale;

/** What a binary built for another CPU does to the verification. */
public enum BinaryCheck {
  /** Fails the verification (the default). */
  FAIL,
  /** Reported as a warning. */
  WARN,
  /** Binaries are not judged. */
  OFF;

  public static BinaryCheck parse(String parameter, String text) {
    if (text == null || text.isBlank()) {
      return FAIL;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(parameter, "unknown value '" + text + "'; valid: fail, warn, off");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
