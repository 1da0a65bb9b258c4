package io.github.multiarch.build;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a Java application goes in the image and how it starts: Jib's layout, so Jib users find their
 * files where they expect them.
 */
public final class JavaApplication {
  public static final String APP_ROOT = "/app";
  public static final String LIBS = APP_ROOT + "/libs";
  public static final String RESOURCES = APP_ROOT + "/resources";
  public static final String CLASSES = APP_ROOT + "/classes";

  private JavaApplication() {}

  /** {@code java [jvmFlags] -cp /app/resources:/app/classes:/app/libs/* mainClass}. */
  public static List<String> entrypoint(String mainClass, List<String> jvmFlags) {
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add("java");
    if (jvmFlags != null) {
      entrypoint.addAll(jvmFlags);
    }
    entrypoint.add("-cp");
    entrypoint.add(RESOURCES + ":" + CLASSES + ":" + LIBS + "/*");
    entrypoint.add(mainClass);
    return entrypoint;
  }
}
