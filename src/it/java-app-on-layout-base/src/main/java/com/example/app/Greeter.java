package com.example.app;

import org.apache.commons.lang3.StringUtils;
import org.apache.commons.text.WordUtils;

/** Greets with commons-lang3 and commons-text, so both dependency jars must be on the class path. */
public final class Greeter {
  private final String greeting;

  public Greeter(String greeting) {
    this.greeting = StringUtils.defaultIfBlank(greeting, "hello");
  }

  public String greet(String who) {
    return greeting + ", " + WordUtils.capitalize(StringUtils.normalizeSpace(who)) + "!";
  }
}
