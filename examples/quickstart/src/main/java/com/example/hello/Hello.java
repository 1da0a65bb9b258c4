package com.example.hello;

public final class Hello {
  public static void main(String[] args) {
    System.out.println(System.getenv().getOrDefault("GREETING", "hi") + " from " + System.getProperty("os.arch"));
  }
}
