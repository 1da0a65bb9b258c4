package io.github.multiarch.check;

import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.check.VerifyReport.Row;
import io.github.multiarch.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The required-platforms check: every platform the request requires has an entry, matched as a runtime
 * matches (same os, architecture and variant, arm64 = arm64/v8; os.version when required), and without a
 * requirement every entry is at least a well-formed platform. A missing platform says what the index has
 * instead, and which present entry a node of that platform would also run.
 */
final class RequiredPlatformsCheck {
  void check(VerifyContext c) {
    Row indexRow = c.report.indexRow();
    List<Platform> present = c.images.stream().map(e -> e.platform).filter(p -> p != null).toList();
    if (c.request.requiredPlatforms().isEmpty()) {
      boolean allValid = c.images.stream().allMatch(e -> e.row != null && e.row.platform() != null);
      c.report.add(indexRow, allValid ? CheckStatus.PASS : CheckStatus.FAIL, Check.REQUIRED, null);
      indexRow.detail("no required platforms given: " + VerifyReport.plural(present.size(), "platform")
          + (allValid ? ", all well-formed" : ", not all well-formed"));
      return;
    }
    List<String> missing = new ArrayList<>();
    for (Platform required : c.request.requiredPlatforms()) {
      VerifiedImage match = c.images.stream().filter(e -> e.platform != null && matches(required, e.platform)).findFirst()
          .orElse(null);
      if (match != null) {
        match.row.set(Check.REQUIRED, CheckStatus.PASS);
        continue;
      }
      String hint = c.images.stream().filter(e -> e.platform != null && required.canRun(e.platform))
          .map(e -> " (the index has " + e.platform + ", which a " + required + " node would also run, but no "
              + "image built for " + required + ")").findFirst().orElse("");
      missing.add(required.describe() + hint);
      Row row = c.report.addRow(required.describe(), required);
      row.set(Check.REQUIRED, CheckStatus.FAIL);
      row.detail("missing from the index");
    }
    for (VerifiedImage e : c.images) {
      if (e.row != null && e.row.result(Check.REQUIRED) == null) {
        e.row.detail("not required");
      }
    }
    if (missing.isEmpty()) {
      c.report.add(indexRow, CheckStatus.PASS, Check.REQUIRED, null);
      indexRow.detail("all " + VerifyReport.plural(c.request.requiredPlatforms().size(), "required platform")
          + " present");
    } else {
      String has = present.isEmpty() ? "nothing" : present.stream().map(Platform::describe)
          .collect(Collectors.joining(", "));
      c.report.add(indexRow, CheckStatus.FAIL, Check.REQUIRED, "missing required platform"
          + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + "; the index has " + has
          + " (required: " + c.request.requiredFrom() + ")");
    }
  }

  /** As a runtime matches: same os, architecture and variant (arm64 = arm64/v8); os.version when required. */
  private boolean matches(Platform required, Platform candidate) {
    return required.compatibilityRank(candidate) == 0
        && (required.osVersion().isEmpty() || required.osVersion().equals(candidate.osVersion()));
  }
}
