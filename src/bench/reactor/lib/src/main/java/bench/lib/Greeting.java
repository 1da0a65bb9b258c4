package bench.lib;

import com.google.common.base.Joiner;

/** The library both applications of the reactor benchmark use. */
public final class Greeting {
  private Greeting() {}

  public static String of(String name) {
    return Joiner.on(' ').join("hello", name);
  }
}
