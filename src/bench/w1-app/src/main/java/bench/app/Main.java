package bench.app;

import com.google.common.base.Joiner;

/** The W1 application: small, but linked against real libraries so that the image carries them. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println(Joiner.on(' ').join("bench", "app", Version.VALUE, bench.gen.Registry.count()));
  }
}
