package io.github.multiarch.maven;

import io.github.multiarch.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * What the {@code build} goal was configured with, one digest per parameter (its POM configuration and its
 * {@code -D} property), plus the project version and output timestamp. The build records it next to the
 * layout ({@value #FILE}); {@code push} and {@code verify}, run on their own, compare it with what the POM
 * and the command line say now, so that a layout left by an earlier build (the last one may have failed) is
 * not pushed as if it were the current one. Sources on disk are not covered: this is about configuration.
 */
final class BuildFingerprint {
  static final String FILE = "build-configuration.properties";
  /** The key under which the build tells later goals of the same project that it ran in this session. */
  static final String BUILT_IN_SESSION = "multiarch.builtInSession";
  /** The key under which push tells later goals of the same project that it pushed in this session. */
  static final String PUSHED_IN_SESSION = "multiarch.pushedInSession";
  static final String PLUGIN_KEY = "io.github.multiarch:multiarch-maven-plugin";
  /**
   * Build parameters that do not decide what the image is ({@code baseLayers} decides only where the base
   * layers' bytes are: the manifests and digests are the same).
   */
  private static final Set<String> NOT_CONTENT = Set.of("skip", "skipBuild", "cacheDirectory", "layerCache",
      "tarball", "outputDirectory", "insecureRegistries", "caCertificates", "environment", "settingsDecrypter",
      "baseLayers");

  private BuildFingerprint() {}

  /**
   * The fingerprint of the build goal's configuration in this project and session, or an empty map when the
   * plugin descriptor is not at hand (a goal configured by hand, as in tests).
   */
  static Map<String, String> of(MavenProject project, MavenSession session, MojoExecution execution) {
    Map<String, String> result = new TreeMap<>();
    if (project == null || execution == null || execution.getMojoDescriptor() == null) {
      return result;
    }
    PluginDescriptor plugin = execution.getMojoDescriptor().getPluginDescriptor();
    MojoDescriptor build = plugin == null ? null : plugin.getMojo("build");
    if (build == null || build.getParameters() == null) {
      return result;
    }
    Xpp3Dom configuration = buildConfiguration(project);
    Properties user = session == null || session.getUserProperties() == null ? new Properties()
        : session.getUserProperties();
    for (Parameter parameter : build.getParameters()) {
      if (!parameter.isEditable() || NOT_CONTENT.contains(parameter.getName())) {
        continue;
      }
      Xpp3Dom pom = configuration == null ? null : configuration.getChild(parameter.getName());
      String property = propertyOf(parameter.getExpression());
      String value = property == null ? null : user.getProperty(property, project.getProperties().getProperty(property));
      if (pom != null || value != null) {
        result.put(parameter.getName(), digest((pom == null ? "" : pom.toString()) + "\n" + value));
      }
    }
    result.put("project.version", digest(String.valueOf(project.getVersion())));
    result.put("project.build.outputTimestamp",
        digest(String.valueOf(project.getProperties().getProperty("project.build.outputTimestamp"))));
    return result;
  }

  /** The build goal's configuration: the plugin's, with its build executions' over it. */
  private static Xpp3Dom buildConfiguration(MavenProject project) {
    for (Plugin plugin : project.getBuildPlugins()) {
      if (!PLUGIN_KEY.equals(plugin.getKey())) {
        continue;
      }
      Xpp3Dom merged = plugin.getConfiguration() instanceof Xpp3Dom dom ? new Xpp3Dom(dom) : null;
      for (PluginExecution execution : plugin.getExecutions()) {
        if (execution.getGoals().contains("build") && execution.getConfiguration() instanceof Xpp3Dom dom) {
          merged = merged == null ? new Xpp3Dom(dom) : Xpp3Dom.mergeXpp3Dom(new Xpp3Dom(dom), merged);
        }
      }
      return merged;
    }
    return null;
  }

  private static String propertyOf(String expression) {
    if (expression == null || !expression.startsWith("${") || !expression.endsWith("}")) {
      return null;
    }
    return expression.substring(2, expression.length() - 1);
  }

  private static String digest(String text) {
    return Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
  }

  static void write(Path outputDirectory, Map<String, String> fingerprint) throws IOException {
    StringBuilder text = new StringBuilder("# what multiarch:build was configured with, per parameter (sha256, "
        + "shortened); multiarch:push and multiarch:verify compare it with the POM and command line\n");
    fingerprint.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(outputDirectory.resolve(FILE), text, StandardCharsets.UTF_8);
  }

  /** The recorded fingerprint, or null when the layout has none (built by an older version, or by hand). */
  static Map<String, String> read(Path outputDirectory) {
    Path file = outputDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      return null;
    }
    Map<String, String> result = new TreeMap<>();
    properties.forEach((k, v) -> result.put(k.toString(), v.toString()));
    return result;
  }

  /**
   * The parameters whose configuration differs between the recorded and the current fingerprint, leaving out
   * those the checking goal decides itself ({@code image}, {@code tags}: push's own).
   */
  static List<String> differences(Map<String, String> recorded, Map<String, String> current, Set<String> ownParameters) {
    List<String> differ = new ArrayList<>();
    TreeMap<String, String> all = new TreeMap<>(recorded);
    current.forEach(all::putIfAbsent);
    for (String key : all.keySet()) {
      if (!ownParameters.contains(key) && !java.util.Objects.equals(recorded.get(key), current.get(key))) {
        differ.add(key.startsWith("project.") ? key : "<" + key + ">");
      }
    }
    return differ;
  }
}
