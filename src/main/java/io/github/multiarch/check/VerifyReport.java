package io.github.multiarch.check;

import io.github.multiarch.oci.Platform;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the verification of one image or index found: a row per platform (and one for the index) with each
 * check's result, and every finding. All checks run to the end; the findings are reported together.
 */
public final class VerifyReport {
  /** The checks, in the order of the summary's columns. */
  public enum Check {
    REQUIRED("REQUIRED"), CONSISTENCY("CONSISTENCY"), BINARIES("BINARIES"), SMOKE("SMOKE"), SUPPLY("SUPPLY");

    private final String column;

    Check(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    /** As in messages: {@code required platforms}, {@code smoke run}. */
    public String label() {
      return switch (this) {
        case REQUIRED -> "required platforms";
        case CONSISTENCY -> "consistency";
        case BINARIES -> "binaries";
        case SMOKE -> "smoke run";
        case SUPPLY -> "supply chain";
      };
    }
  }

  /** One thing found: a failure, a warning, or a note on something not checked. */
  public record Finding(CheckStatus status, Check check, String subject, String message) {
    @Override
    public String toString() {
      return subject + ": " + check.label() + ": " + message;
    }
  }

  /** A line of the summary: a platform (or the index) and its result per check. */
  public static final class Row {
    private final String subject;
    private final Platform platform;
    private final Map<Check, CheckStatus> results = new EnumMap<>(Check.class);
    private final List<String> details = new ArrayList<>();

    Row(String subject, Platform platform) {
      this.subject = subject;
      this.platform = platform;
    }

    public String subject() {
      return subject;
    }

    /** The platform of the row, null for the index row or an entry without a valid platform. */
    public Platform platform() {
      return platform;
    }

    public CheckStatus result(Check check) {
      return results.get(check);
    }

    public Map<Check, CheckStatus> results() {
      return java.util.Collections.unmodifiableMap(results);
    }

    public List<String> details() {
      return List.copyOf(details);
    }

    void set(Check check, CheckStatus status) {
      results.merge(check, status, CheckStatus::and);
    }

    void detail(String text) {
      details.add(text);
    }
  }

  private final String image;
  private final String kind;
  private final String topSubject;
  private final List<Row> rows = new ArrayList<>();
  private final List<Finding> findings = new ArrayList<>();
  private Row indexRow;

  /** @param topSubject the name of the row of the top-level object: {@code index} or {@code image} */
  VerifyReport(String image, String kind, String topSubject) {
    this.image = image;
    this.kind = kind;
    this.topSubject = topSubject;
  }

  /** The image as named in messages. */
  public String image() {
    return image;
  }

  /** What was verified: {@code OCI image index sha256:…}. */
  public String kind() {
    return kind;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  public List<Finding> failures() {
    return findings.stream().filter(f -> f.status() == CheckStatus.FAIL).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(f -> f.status() == CheckStatus.WARN).toList();
  }

  /** FAIL when any check failed, WARN when any warned, else PASS. */
  public CheckStatus overall() {
    CheckStatus overall = CheckStatus.PASS;
    for (Finding f : findings) {
      if (f.status() == CheckStatus.FAIL || f.status() == CheckStatus.WARN) {
        overall = overall.and(f.status());
      }
    }
    for (Row row : rows) {
      for (CheckStatus s : row.results.values()) {
        if (s == CheckStatus.FAIL || s == CheckStatus.WARN) {
          overall = overall.and(s);
        }
      }
    }
    return overall;
  }

  /** The row of a platform, or null. */
  public Row row(Platform platform) {
    return rows.stream().filter(r -> platform.equals(r.platform)).findFirst().orElse(null);
  }

  public Row row(String subject) {
    return rows.stream().filter(r -> r.subject.equals(subject)).findFirst().orElse(null);
  }

  Row addRow(String subject, Platform platform) {
    Row row = new Row(subject, platform);
    if (indexRow != null) {
      rows.add(rows.indexOf(indexRow), row); // the index row stays last
    } else {
      rows.add(row);
    }
    return row;
  }

  Row indexRow() {
    if (indexRow == null) {
      indexRow = new Row(topSubject, null);
      rows.add(indexRow);
    }
    return indexRow;
  }

  /** Records a finding and sets the row's result for the check to (at least) its status. */
  void add(Row row, CheckStatus status, Check check, String message) {
    row.set(check, status);
    if (message != null) {
      findings.add(new Finding(status, check, row.subject, message));
    }
  }

  /** The summary: a header, one line per platform, the index, then the overall result. */
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add("multiarch: verified " + image + ": " + kind);
    int width = Math.max(22, rows.stream().mapToInt(r -> r.subject.length()).max().orElse(0) + 2);
    String format = "  %-" + width + "s %-9s %-12s %-9s %-6s %-7s %s";
    lines.add(String.format(Locale.ROOT, format, "PLATFORM", Check.REQUIRED.column(), Check.CONSISTENCY.column(),
        Check.BINARIES.column(), Check.SMOKE.column(), Check.SUPPLY.column(), "DETAILS").stripTrailing());
    for (Row row : rows) {
      lines.add(String.format(Locale.ROOT, format, row.subject, cell(row, Check.REQUIRED),
          cell(row, Check.CONSISTENCY), cell(row, Check.BINARIES), cell(row, Check.SMOKE), cell(row, Check.SUPPLY),
          String.join("; ", row.details)).stripTrailing());
    }
    int failures = failures().size();
    int warnings = warnings().size();
    lines.add("  result: " + overall() + (failures + warnings == 0 ? ""
        : " (" + plural(failures, "failure") + ", " + plural(warnings, "warning") + ")"));
    return lines;
  }

  private static String cell(Row row, Check check) {
    CheckStatus status = row.results.get(check);
    return status == null ? "-" : status.name();
  }

  static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
