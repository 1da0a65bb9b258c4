package io.github.multiarch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaApplicationTest {
  private static final List<String> JARS = List.of("/app/libs/zeta-1.0.jar", "/app/libs/alpha-1.0.jar");

  @Test
  void theEntrypointReadsTheClasspathFileWhoseOrderIsTheDependenciesOrder() {
    JavaApplication app = new JavaApplication("com.example.Main", List.of("-Xmx64m", " "), JARS, false);
    assertEquals(List.of("java", "-Xmx64m", "-cp", "@/app/jib-classpath-file", "com.example.Main"), app.entrypoint());
    LayerSpec layer = app.argFilesLayer();
    assertEquals("jvm-arg-files", layer.name());
    assertEquals(List.of("/app/jib-classpath-file", "/app/jib-main-class-file"),
        layer.files().stream().map(LayerFile::target).toList());
    assertEquals("/app/resources:/app/classes:/app/libs/zeta-1.0.jar:/app/libs/alpha-1.0.jar",
        new String(layer.files().get(0).content(), StandardCharsets.UTF_8), "not sorted: the order given");
    assertEquals("com.example.Main", new String(layer.files().get(1).content(), StandardCharsets.UTF_8));
  }

  @Test
  void forJava8TheClasspathIsWrittenOut() {
    JavaApplication app = new JavaApplication("Main", null, JARS, true);
    assertEquals(List.of("java", "-cp", "/app/resources:/app/classes:/app/libs/zeta-1.0.jar:/app/libs/alpha-1.0.jar",
        "Main"), app.entrypoint());
  }

  @Test
  void aClasspathWithSpacesIsQuotedForTheLauncher() {
    assertEquals("/app/a.jar:/app/b.jar", JavaApplication.argumentFileText("/app/a.jar:/app/b.jar"));
    assertEquals("\"/app/my lib.jar:/app/q\\\"x.jar\"", JavaApplication.argumentFileText("/app/my lib.jar:/app/q\"x.jar"));
  }

  @Test
  void windowsPlatformsGetWindowsPathsAndTheSameLinuxOnes() {
    JavaApplication app = new JavaApplication("com.example.Main", List.of("-Xmx64m"), JARS, false);
    assertEquals(List.of("java", "-Xmx64m", "-cp", "@C:\\app\\jib-classpath-file", "com.example.Main"),
        app.windowsEntrypoint());
    assertEquals(Map.of("windows", app.windowsEntrypoint()), app.entrypointByOs());
    LayerSpec layer = app.argFilesLayer();
    LayerSpec windows = layer.forOs("windows");
    assertEquals(List.of("/app/jib-classpath-file", "/app/jib-main-class-file"),
        windows.files().stream().map(LayerFile::target).toList(), "the same places, below Files/ on Windows");
    assertEquals("C:\\app\\resources;C:\\app\\classes;C:\\app\\libs\\zeta-1.0.jar;C:\\app\\libs\\alpha-1.0.jar",
        new String(windows.files().get(0).content(), StandardCharsets.UTF_8), "unquoted: the launcher takes \\ "
        + "literally outside quotes");
    assertEquals("com.example.Main", new String(windows.files().get(1).content(), StandardCharsets.UTF_8));
    assertEquals(layer.files(), layer.forOs("linux").files());
    assertEquals("/app/resources:/app/classes:/app/libs/zeta-1.0.jar:/app/libs/alpha-1.0.jar",
        new String(layer.forOs("linux").files().get(0).content(), StandardCharsets.UTF_8));
  }

  @Test
  void forJava8OnWindowsTheClasspathIsWrittenOutWithSemicolons() {
    JavaApplication app = new JavaApplication("Main", null, JARS, true);
    assertEquals(List.of("java", "-cp", "C:\\app\\resources;C:\\app\\classes;C:\\app\\libs\\zeta-1.0.jar;"
        + "C:\\app\\libs\\alpha-1.0.jar", "Main"), app.windowsEntrypoint());
  }

  @Test
  void aWindowsClasspathWithSpacesIsQuotedWithBackslashesDoubled() {
    assertEquals("C:\\app\\a.jar;C:\\app\\b.jar", JavaApplication.windowsArgumentFileText("C:\\app\\a.jar;C:\\app\\b.jar"));
    assertEquals("\"C:\\\\app\\\\my lib.jar\"", JavaApplication.windowsArgumentFileText("C:\\app\\my lib.jar"));
  }

  @Test
  void aMainClassMustBeAClassName() {
    for (String bad : List.of("", "com/example/Main", "com.example.Main.class", "Main.java", "1abc", "a..b")) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> new JavaApplication(bad, null, List.of(), false), bad);
      assertEquals("container", e.parameter());
      assertTrue(e.getMessage().contains("com.example.app.App"), e.getMessage());
    }
    assertEquals("com.example.App$Main", new JavaApplication(" com.example.App$Main ", null, List.of(), false)
        .mainClass());
  }
}
