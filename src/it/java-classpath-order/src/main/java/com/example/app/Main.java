package com.example.app;

import com.example.which.Which;

/** Says which of the two dependencies that both hold com.example.which.Which the JVM loaded it from. */
public final class Main {
  public static void main(String[] args) {
    System.out.println("Which says " + Which.answer());
  }
}
