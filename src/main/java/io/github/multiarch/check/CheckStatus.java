package io.github.multiarch.check;

/** The result of one check, in rising order of concern. */
public enum CheckStatus {
  PASS, SKIP, WARN, FAIL;

  /** The more concerning of two results: FAIL over WARN over SKIP over PASS. */
  public CheckStatus and(CheckStatus other) {
    if (other == null) {
      return this;
    }
    return other.ordinal() > ordinal() ? other : this;
  }
}
