package io.github.multiarch.maven;

import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Whether this Maven run pushes the project's image after building it: {@code multiarch:push} on the command
 * line, or a lifecycle phase that reaches a {@code push} execution of the POM ({@code mvn deploy}). Then
 * {@code baseLayers=auto} leaves the base layers in their registry, for the push to mount (unless a
 * {@code verify}, which reads them, runs too).
 */
final class PushPlan {
  /** Maven's default lifecycle, in order (maven-core's components.xml); a phase runs every one before it. */
  private static final List<String> DEFAULT_LIFECYCLE = List.of("validate", "initialize", "generate-sources",
      "process-sources", "generate-resources", "process-resources", "compile", "process-classes",
      "generate-test-sources", "process-test-sources", "generate-test-resources", "process-test-resources",
      "test-compile", "process-test-classes", "test", "prepare-package", "package", "pre-integration-test",
      "integration-test", "post-integration-test", "verify", "install", "deploy");
  private static final String GROUP_ID = "io.github.multiarch";
  private static final String ARTIFACT_ID = "multiarch-maven-plugin";

  private PushPlan() {}

  /**
   * Whether {@code baseLayers=auto} leaves the base layers in their registry: a push follows, and no
   * {@code verify} runs (it reads every layer, so the layers would be downloaded anyway, better through the
   * base-image cache that later builds reuse).
   */
  static boolean defersBaseLayers(MavenSession session, MavenProject project) {
    return pushFollows(session, project) && !runs(session, project, "verify", "verify");
  }

  static boolean pushFollows(MavenSession session, MavenProject project) {
    Properties user = session == null || session.getUserProperties() == null ? new Properties()
        : session.getUserProperties();
    if ("true".equals(user.getProperty("multiarch.skipPush")) || "true".equals(user.getProperty("multiarch.skip"))
        || skippedInPom(project)) {
      return false;
    }
    return runs(session, project, "push", "deploy");
  }

  /** {@code <skipPush>true</skipPush>} or {@code <skip>true</skip>} in the plugin's configuration. */
  private static boolean skippedInPom(MavenProject project) {
    if (project == null || project.getBuildPlugins() == null) {
      return false;
    }
    for (Plugin plugin : project.getBuildPlugins()) {
      if ((GROUP_ID + ":" + ARTIFACT_ID).equals(plugin.getKey()) && plugin.getConfiguration() instanceof Xpp3Dom dom) {
        for (String name : List.of("skipPush", "skip")) {
          if (dom.getChild(name) != null && "true".equals(dom.getChild(name).getValue())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether the plugin's {@code goal} runs in this session: on the command line, or bound to a phase it reaches. */
  private static boolean runs(MavenSession session, MavenProject project, String goal, String defaultPhase) {
    if (session == null || session.getGoals() == null) {
      return false;
    }
    int furthestPhase = -1;
    for (String requested : session.getGoals()) {
      if (isGoal(requested, goal)) {
        return true;
      }
      furthestPhase = Math.max(furthestPhase, DEFAULT_LIFECYCLE.indexOf(requested));
    }
    if (furthestPhase < 0 || project == null || project.getBuildPlugins() == null) {
      return false;
    }
    for (Plugin plugin : project.getBuildPlugins()) {
      if (!(GROUP_ID + ":" + ARTIFACT_ID).equals(plugin.getKey())) {
        continue;
      }
      for (PluginExecution execution : plugin.getExecutions()) {
        // an execution without a phase runs in the goal's default phase (@Mojo defaultPhase)
        int index = DEFAULT_LIFECYCLE.indexOf(execution.getPhase() != null ? execution.getPhase() : defaultPhase);
        if (execution.getGoals().contains(goal) && index >= 0 && index <= furthestPhase) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code multiarch:GOAL}, {@code GROUP:ARTIFACT:GOAL} or {@code GROUP:ARTIFACT:VERSION:GOAL}. */
  private static boolean isGoal(String requested, String goal) {
    String[] parts = requested.split(":");
    if (parts.length < 2 || !parts[parts.length - 1].equals(goal)) {
      return false;
    }
    return parts.length == 2 ? parts[0].equals("multiarch")
        : parts[0].equals(GROUP_ID) && parts[1].equals(ARTIFACT_ID);
  }
}
