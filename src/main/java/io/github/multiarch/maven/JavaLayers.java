package io.github.multiarch.maven;

import io.github.multiarch.build.JavaApplication;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.MultiarchException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The layers of a Java application, from least to most often changed: release dependencies, snapshot
 * dependencies, resources, classes. They hold no platform-specific file, so every platform shares them.
 *
 * @param layers the layers, in that order
 * @param dependencies each dependency jar's path in the image, in Maven's runtime classpath order (the order
 *     of {@link MavenProject#getArtifacts()}, from which Maven builds its own classpaths, as
 *     {@code exec:java} and surefire use them)
 * @param oldestClassFileVersion the lowest class file major version in {@code target/classes} (52 is Java 8),
 *     or 0 when there is no class
 */
record JavaLayers(List<LayerSpec> layers, List<String> dependencies, int oldestClassFileVersion) {

  /** Where each file of these layers goes in the image, by its source (a dependency jar → /app/libs/…). */
  Map<Path, String> imagePaths() {
    Map<Path, String> paths = new HashMap<>();
    for (LayerSpec layer : layers) {
      for (LayerFile file : layer.files()) {
        if (!file.isMade()) {
          paths.put(file.source(), file.target());
        }
      }
    }
    return paths;
  }
  /** The class file major version of Java 8, whose {@code java} reads no {@code @argument} files. */
  static final int JAVA_8 = 52;
  /** Jib's default extra directory, copied to the image root when it exists. */
  static final String EXTRA_FILES_DIRECTORY = "src/main/jib";

  /**
   * The main class maven-jar-plugin writes into the jar's manifest
   * ({@code <archive><manifest><mainClass>}, in the plugin's configuration or an execution's), or null: the
   * first place Jib looks for it too.
   */
  static String jarManifestMainClass(MavenProject project) {
    Plugin jar = project.getPlugin("org.apache.maven.plugins:maven-jar-plugin");
    if (jar == null) {
      return null;
    }
    List<Object> configurations = new ArrayList<>();
    configurations.add(jar.getConfiguration());
    jar.getExecutions().forEach(e -> configurations.add(e.getConfiguration()));
    for (Object configuration : configurations) {
      if (configuration instanceof Xpp3Dom dom && dom.getChild("archive") != null
          && dom.getChild("archive").getChild("manifest") != null) {
        Xpp3Dom mainClass = dom.getChild("archive").getChild("manifest").getChild("mainClass");
        if (mainClass != null && mainClass.getValue() != null && !mainClass.getValue().isBlank()) {
          return mainClass.getValue().trim();
        }
      }
    }
    return null;
  }

  static JavaLayers of(MavenProject project) {
    List<LayerFile> dependencies = new ArrayList<>();
    List<LayerFile> snapshots = new ArrayList<>();
    List<String> classpath = new ArrayList<>();
    List<Artifact> artifacts = new ArrayList<>(project.getArtifacts());
    Map<String, Integer> fileNames = new HashMap<>();
    for (Artifact artifact : artifacts) {
      if (artifact.getFile() != null && isRuntime(artifact)) {
        fileNames.merge(artifact.getFile().getName(), 1, Integer::sum);
      }
    }
    for (Artifact artifact : artifacts) {
      File file = artifact.getFile();
      if (file == null || !isRuntime(artifact) || !file.isFile()) {
        continue;
      }
      // two dependencies with one file name would overwrite each other in /app/libs
      String name = fileNames.get(file.getName()) > 1 ? artifact.getGroupId() + "-" + file.getName() : file.getName();
      LayerFile layerFile = new LayerFile(file.toPath(), JavaApplication.LIBS + "/" + name, 0644);
      (artifact.isSnapshot() ? snapshots : dependencies).add(layerFile);
      classpath.add(layerFile.target());
    }
    List<LayerFile> resources = new ArrayList<>();
    List<LayerFile> classes = new ArrayList<>();
    int oldestClassFile = 0;
    Path output = Path.of(project.getBuild().getOutputDirectory());
    if (Files.isDirectory(output)) {
      try (Stream<Path> walk = Files.walk(output)) {
        for (Path path : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
          String relative = output.relativize(path).toString().replace('\\', '/');
          boolean isClass = relative.endsWith(".class");
          if (isClass) {
            int version = classFileVersion(path);
            oldestClassFile = oldestClassFile == 0 || (version > 0 && version < oldestClassFile) ? version
                : oldestClassFile;
          }
          (isClass ? classes : resources).add(new LayerFile(path,
              (isClass ? JavaApplication.CLASSES : JavaApplication.RESOURCES) + "/" + relative, 0644));
        }
      } catch (IOException e) {
        throw new MultiarchException("cannot read " + output + ": " + e.getMessage(), e);
      }
    }
    List<LayerSpec> layers = new ArrayList<>();
    addIfAny(layers, "dependencies", dependencies);
    addIfAny(layers, "snapshot-dependencies", snapshots);
    addIfAny(layers, "resources", resources);
    addIfAny(layers, "classes", classes);
    return new JavaLayers(List.copyOf(layers), List.copyOf(classpath), oldestClassFile);
  }

  /** The major version of a class file (bytes 6 and 7 after the 0xCAFEBABE magic), or 0 when unreadable. */
  private static int classFileVersion(Path classFile) {
    try (InputStream in = Files.newInputStream(classFile)) {
      byte[] header = in.readNBytes(8);
      boolean isClassFile = header.length == 8 && (header[0] & 0xff) == 0xCA && (header[1] & 0xff) == 0xFE
          && (header[2] & 0xff) == 0xBA && (header[3] & 0xff) == 0xBE;
      return isClassFile ? ((header[6] & 0xff) << 8) | (header[7] & 0xff) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  static boolean isRuntime(Artifact artifact) {
    String scope = artifact.getScope();
    return scope == null || Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope);
  }

  private static void addIfAny(List<LayerSpec> layers, String name, List<LayerFile> files) {
    if (!files.isEmpty()) {
      layers.add(new LayerSpec(name, files));
    }
  }
}
