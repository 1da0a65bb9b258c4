package com.example.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Prints a greeting made with both dependencies and the message of the resource file. */
public final class App {
  private App() {}

  public static void main(String[] args) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = App.class.getResourceAsStream("/app.properties")) {
      if (in == null) {
        throw new IllegalStateException("app.properties is not on the class path");
      }
      properties.load(in);
    }
    System.out.println(new Greeter(properties.getProperty("greeting")).greet("multi platform world"));
  }
}
