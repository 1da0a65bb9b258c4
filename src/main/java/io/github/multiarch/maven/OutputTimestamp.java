package io.github.multiarch.maven;

import io.github.multiarch.oci.InvalidInputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads {@code project.build.outputTimestamp} the way Maven's archivers do: an ISO-8601 date-time with an
 * offset, or seconds since the epoch; a single character (or nothing) means "not set".
 */
final class OutputTimestamp {
  private OutputTimestamp() {}

  static Optional<Instant> parse(String value) {
    if (value == null || value.trim().length() < 2) {
      return Optional.empty();
    }
    String text = value.trim();
    try {
      if (text.chars().allMatch(Character::isDigit)) {
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
      }
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidInputException("outputTimestamp", "project.build.outputTimestamp '" + value
          + "' is neither an ISO-8601 date-time with offset (2024-01-01T00:00:00Z) nor seconds since the epoch");
    }
  }
}
