package bench.app;

/** The one class the "incremental" case changes (run.sh rewrites VALUE before each incremental run). */
final class Version {
  static final String VALUE = "0";

  private Version() {}
}
