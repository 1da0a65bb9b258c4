package com.example.repro;

import org.apache.commons.lang3.StringUtils;

/** A tiny application: its classes, resource and dependency make the Java layers of the image. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println(StringUtils.capitalize("same inputs, same digests"));
  }
}
