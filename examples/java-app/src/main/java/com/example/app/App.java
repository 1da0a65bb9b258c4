package com.example.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.lang3.StringUtils;

/** Reads its greeting from a JSON resource (Jackson) and prints it for the name given, or the configured one. */
public final class App {
  private App() {}

  public static void main(String[] args) throws IOException {
    JsonNode config;
    try (InputStream in = App.class.getResourceAsStream("/greeting.json")) {
      config = new ObjectMapper().readTree(in);
    }
    String name = args.length > 0 ? String.join(" ", args) : config.path("name").asText("world");
    String greeting = System.getenv().getOrDefault("GREETING", config.path("greeting").asText("Hello"));
    System.out.println(greeting + ", " + StringUtils.capitalize(name) + "! (" + System.getProperty("os.arch")
        + ", Java " + Runtime.version().feature() + ")");
  }
}
