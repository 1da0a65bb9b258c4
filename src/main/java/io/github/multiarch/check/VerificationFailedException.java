package io.github.multiarch.check;

import io.github.multiarch.oci.MultiarchException;
import java.util.List;

/** The image did not pass: carries the reports, and a message listing every failure. */
public class VerificationFailedException extends MultiarchException {
  private static final long serialVersionUID = 1L;

  private final transient List<VerifyReport> reports;

  public VerificationFailedException(String message, List<VerifyReport> reports) {
    super(message);
    this.reports = List.copyOf(reports);
  }

  public List<VerifyReport> reports() {
    return reports;
  }

  /** Throws unless every report passed (warnings pass). */
  public static void throwIfFailed(List<VerifyReport> reports) {
    int failures = reports.stream().mapToInt(r -> r.failures().size()).sum();
    if (failures == 0) {
      return;
    }
    StringBuilder message = new StringBuilder();
    for (VerifyReport report : reports) {
      if (report.failures().isEmpty()) {
        continue;
      }
      if (message.length() > 0) {
        message.append('\n');
      }
      message.append(report.image()).append(" failed verification with ")
          .append(VerifyReport.plural(report.failures().size(), "failure")).append(':');
      for (VerifyReport.Finding f : report.failures()) {
        message.append("\n  - ").append(f);
      }
    }
    throw new VerificationFailedException(message.toString(), reports);
  }
}
