package io.github.multiarch.build;

import io.github.multiarch.oci.InvalidInputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The times an image carries, given the way Jib takes them ({@code creationTime},
 * {@code filesModificationTime}): {@code EPOCH}, {@code EPOCH_PLUS_SECOND}, {@code USE_CURRENT_TIMESTAMP}
 * (not reproducible), or an ISO-8601 date-time with an offset such as {@code 2024-01-01T00:00:00Z}.
 */
public final class ImageTime {
  /** Jib's default for files: some tools take a time of 0 for "unknown". */
  public static final Instant EPOCH_PLUS_SECOND = Instant.ofEpochSecond(1);

  private ImageTime() {}

  /**
   * @param parameter the parameter named in the error
   * @param field the field within it, e.g. {@code creationTime}
   * @return the time, or null when {@code text} is empty
   */
  public static Instant parse(String parameter, String field, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.trim();
    switch (value) {
      case "EPOCH":
        return Instant.EPOCH;
      case "EPOCH_PLUS_SECOND":
        return EPOCH_PLUS_SECOND;
      case "USE_CURRENT_TIMESTAMP":
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
      default:
        try {
          return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
          throw new InvalidInputException(parameter, field + " '" + text + "' is not a time; valid: EPOCH, "
              + "EPOCH_PLUS_SECOND, USE_CURRENT_TIMESTAMP, or an ISO-8601 date-time with offset such as "
              + "2024-01-01T00:00:00Z");
        }
    }
  }
}
