package io.github.multiarch.build;

import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a Java application goes in the image and how it starts, as Jib does it, so that scripts written for
 * Jib images keep working: resources, classes and dependency jars under {@code /app}, the classpath in the
 * order the build tool resolved it (resources, classes, then the dependencies in resolution order) in
 * {@code /app/jib-classpath-file}, the main class in {@code /app/jib-main-class-file}, and the entrypoint
 * {@code java [jvmFlags] -cp @/app/jib-classpath-file mainClass}. A {@code libs/*} wildcard would let the JVM
 * take the jars in whatever order the directory lists them, so that two jars holding the same class could
 * load another one than the tests ran with, differently from one file system to the next.
 *
 * <p>Platforms with os {@code windows} get the same layers at the same places, {@code C:\app} (a Windows
 * layer's {@code Files/app}), and a Java for Windows started with Windows paths: the entrypoint
 * {@code java [jvmFlags] -cp @C:\app\jib-classpath-file mainClass} and a classpath file of {@code ;}-separated
 * {@code C:\app\...} paths. Jib builds no Windows images, so there is nothing of Jib's to follow here; the file
 * keeps Jib's names and order, and is what the Windows launcher reads: in an argument file a backslash escapes
 * only inside quotes (JDK {@code src/java.base/share/native/libjli/args.c}, {@code nextToken}), so the paths
 * are written as they are and quoted, with backslashes doubled, only when they hold white space, quotes or
 * {@code #}.
 *
 * @param mainClass the class whose {@code main} starts the application
 * @param jvmFlags flags for {@code java}, before the classpath
 * @param dependencies the paths of the dependency jars in the image, in the classpath's order
 * @param expandClasspath write the classpath itself into the entrypoint instead of {@code @argument files},
 *     which only Java 9 and later read
 */
public record JavaApplication(String mainClass, List<String> jvmFlags, List<String> dependencies,
    boolean expandClasspath) {
  public static final String APP_ROOT = "/app";
  public static final String LIBS = APP_ROOT + "/libs";
  public static final String RESOURCES = APP_ROOT + "/resources";
  public static final String CLASSES = APP_ROOT + "/classes";
  /** Jib's names for the two files, kept so that tools and scripts written for Jib images find them. */
  public static final String CLASSPATH_FILE = APP_ROOT + "/jib-classpath-file";
  public static final String MAIN_CLASS_FILE = APP_ROOT + "/jib-main-class-file";
  /** The name of the layer that holds the two files: it changes only when the classpath or main class do. */
  public static final String ARG_FILES_LAYER = "jvm-arg-files";
  /** The os whose platforms get Windows paths. */
  public static final String WINDOWS = "windows";

  /** A Java binary name: identifiers separated by dots, e.g. {@code com.example.App} or {@code App$Main}. */
  private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  public JavaApplication {
    if (mainClass == null || !CLASS_NAME.matcher(mainClass.trim()).matches() || mainClass.trim().endsWith(".class")
        || mainClass.trim().endsWith(".java")) {
      throw new InvalidInputException("container", "mainClass '" + mainClass + "' is not a Java class name; "
          + "expected a fully qualified name such as com.example.app.App");
    }
    mainClass = mainClass.trim();
    jvmFlags = jvmFlags == null ? List.of() : jvmFlags.stream().filter(f -> f != null && !f.isBlank())
        .map(String::trim).toList();
    dependencies = List.copyOf(dependencies);
  }

  /** Resources, classes, then every dependency, in order. */
  public List<String> classpath() {
    List<String> classpath = new ArrayList<>();
    classpath.add(RESOURCES);
    classpath.add(CLASSES);
    classpath.addAll(dependencies);
    return classpath;
  }

  /** {@link #classpath()} as a Java on Windows finds it: {@code C:\app\resources}, … */
  public List<String> windowsClasspath() {
    return classpath().stream().map(JavaApplication::windowsPath).toList();
  }

  /** {@code /app/libs/a.jar} → {@code C:\app\libs\a.jar}: the container's path as Windows writes it. */
  static String windowsPath(String path) {
    return "C:" + path.replace('/', '\\');
  }

  /** {@code java [jvmFlags] -cp @/app/jib-classpath-file mainClass}, or with the classpath written out. */
  public List<String> entrypoint() {
    return entrypoint(String.join(":", classpath()), CLASSPATH_FILE);
  }

  /** {@code java [jvmFlags] -cp @C:\app\jib-classpath-file mainClass}, or with the classpath written out. */
  public List<String> windowsEntrypoint() {
    return entrypoint(String.join(";", windowsClasspath()), windowsPath(CLASSPATH_FILE));
  }

  /** The entrypoints that differ from {@link #entrypoint()} by os: Windows'. */
  public Map<String, List<String>> entrypointByOs() {
    return Map.of(WINDOWS, windowsEntrypoint());
  }

  private List<String> entrypoint(String classpath, String classpathFile) {
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add("java");
    entrypoint.addAll(jvmFlags);
    entrypoint.add("-cp");
    entrypoint.add(expandClasspath ? classpath : "@" + classpathFile);
    entrypoint.add(mainClass);
    return entrypoint;
  }

  /**
   * The layer with {@code /app/jib-classpath-file} and {@code /app/jib-main-class-file}, written whether the
   * entrypoint reads them or not (as Jib does), for tools and scripts that start the application themselves.
   * For Windows platforms the classpath file holds the Windows classpath ({@link LayerSpec#filesByOs()}).
   */
  public LayerSpec argFilesLayer() {
    byte[] mainClassBytes = mainClass.getBytes(StandardCharsets.UTF_8);
    List<LayerFile> linux = List.of(
        LayerFile.made(CLASSPATH_FILE, argumentFileText(String.join(":", classpath()))
            .getBytes(StandardCharsets.UTF_8)),
        LayerFile.made(MAIN_CLASS_FILE, mainClassBytes));
    List<LayerFile> windows = List.of(
        LayerFile.made(CLASSPATH_FILE, windowsArgumentFileText(String.join(";", windowsClasspath()))
            .getBytes(StandardCharsets.UTF_8)),
        LayerFile.made(MAIN_CLASS_FILE, mainClassBytes));
    return new LayerSpec(ARG_FILES_LAYER, linux, Map.of(WINDOWS, windows));
  }

  /**
   * The classpath as one argument of a {@code java @file}: as it is (Jib's format) unless it holds white
   * space, quotes or {@code #}, which the launcher would split or cut there; then quoted, with {@code \} and
   * {@code "} escaped (JDK 9+ {@code java} tool reference, "java Command-Line Argument Files").
   */
  static String argumentFileText(String classpath) {
    if (!classpath.matches(".*[\\s\"'#\\\\].*")) {
      return classpath;
    }
    return quoted(classpath);
  }

  /**
   * The Windows classpath as one argument of a {@code java @file}: as it is, backslashes included (outside
   * quotes the launcher takes them literally), unless it holds white space, quotes or {@code #}; then quoted,
   * with {@code \} and {@code "} escaped.
   */
  static String windowsArgumentFileText(String classpath) {
    return classpath.matches(".*[\\s\"'#].*") ? quoted(classpath) : classpath;
  }

  private static String quoted(String classpath) {
    return '"' + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
