package bench.b;

/** Application b of the reactor benchmark. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("app-b: " + bench.lib.Greeting.of("b"));
  }
}
