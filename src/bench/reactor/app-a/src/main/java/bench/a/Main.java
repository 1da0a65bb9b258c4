package bench.a;

/** Application a of the reactor benchmark. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("app-a: " + bench.lib.Greeting.of("a"));
  }
}
