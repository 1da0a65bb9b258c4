package io.github.multiarch.maven;

import io.github.multiarch.build.JavaApplication;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.oci.MultiarchException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;

/**
 * The layers of a Java application, from least to most often changed: release dependencies, snapshot
 * dependencies, resources, classes. They hold no platform-specific file, so every platform shares them.
 */
final class JavaLayers {
  private JavaLayers() {}

  static List<LayerSpec> of(MavenProject project) {
    List<LayerFile> dependencies = new ArrayList<>();
    List<LayerFile> snapshots = new ArrayList<>();
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
    }
    List<LayerFile> resources = new ArrayList<>();
    List<LayerFile> classes = new ArrayList<>();
    Path output = Path.of(project.getBuild().getOutputDirectory());
    if (Files.isDirectory(output)) {
      try (Stream<Path> walk = Files.walk(output)) {
        for (Path path : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
          String relative = output.relativize(path).toString().replace('\\', '/');
          boolean isClass = relative.endsWith(".class");
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
    return layers;
  }

  private static boolean isRuntime(Artifact artifact) {
    String scope = artifact.getScope();
    return scope == null || Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope);
  }

  private static void addIfAny(List<LayerSpec> layers, String name, List<LayerFile> files) {
    if (!files.isEmpty()) {
      layers.add(new LayerSpec(name, files));
    }
  }
}
