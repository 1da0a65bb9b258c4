package io.github.multiarch.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

/** baseLayers=auto: base layers stay in their registry exactly when this Maven run pushes the image after it. */
class PushPlanTest {

  private static MavenSession session(List<String> goals, Properties user) {
    DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
    request.setGoals(goals);
    request.setUserProperties(user);
    @SuppressWarnings("deprecation")
    MavenSession session = new MavenSession(null, null, request, new DefaultMavenExecutionResult());
    return session;
  }

  private static MavenSession session(String... goals) {
    return session(List.of(goals), new Properties());
  }

  /** A project whose POM binds {@code goals} of the plugin in one execution at {@code phase} (null: none). */
  private static MavenProject project(String phase, String... goals) {
    Model model = new Model();
    model.setGroupId("g");
    model.setArtifactId("a");
    model.setVersion("1");
    Plugin plugin = new Plugin();
    plugin.setGroupId("io.github.multiarch");
    plugin.setArtifactId("multiarch-maven-plugin");
    PluginExecution execution = new PluginExecution();
    execution.setId("image");
    execution.setPhase(phase);
    execution.setGoals(List.of(goals));
    plugin.addExecution(execution);
    model.setBuild(new org.apache.maven.model.Build());
    model.getBuild().addPlugin(plugin);
    return new MavenProject(model);
  }

  @Test
  void pushOnTheCommandLineInAnySpelling() {
    MavenProject buildOnly = project("package", "build");
    assertTrue(PushPlan.pushFollows(session("package", "multiarch:push"), buildOnly));
    assertTrue(PushPlan.pushFollows(session("package", "io.github.multiarch:multiarch-maven-plugin:push"),
        buildOnly));
    assertTrue(PushPlan.pushFollows(session("package", "io.github.multiarch:multiarch-maven-plugin:1.0:push"),
        buildOnly));
    assertFalse(PushPlan.pushFollows(session("package", "other:push"), buildOnly), "another plugin's push");
    assertFalse(PushPlan.pushFollows(session("package", "multiarch:verify"), buildOnly));
  }

  @Test
  void aPhaseThatReachesABoundPush() {
    MavenProject deployPush = project(null, "push"); // the goal's default phase: deploy
    assertTrue(PushPlan.pushFollows(session("deploy"), deployPush));
    assertTrue(PushPlan.pushFollows(session("clean", "deploy"), deployPush));
    assertFalse(PushPlan.pushFollows(session("install"), deployPush), "install stops before deploy");
    assertFalse(PushPlan.pushFollows(session("package"), deployPush));
    MavenProject packagePush = project("package", "build", "push");
    assertTrue(PushPlan.pushFollows(session("package"), packagePush));
    assertTrue(PushPlan.pushFollows(session("verify"), packagePush));
    assertFalse(PushPlan.pushFollows(session("compile"), packagePush));
  }

  @Test
  void aVerifyInTheSameRunReadsTheLayersSoTheyAreCopied() {
    MavenProject deployPush = project(null, "push");
    assertTrue(PushPlan.defersBaseLayers(session("deploy"), deployPush));
    assertFalse(PushPlan.defersBaseLayers(session("package", "multiarch:verify", "multiarch:push"), deployPush));
    MavenProject withVerify = project(null, "verify", "push"); // verify at verify, push at deploy
    assertTrue(PushPlan.pushFollows(session("deploy"), withVerify));
    assertFalse(PushPlan.defersBaseLayers(session("deploy"), withVerify));
    assertFalse(PushPlan.defersBaseLayers(session("package"), withVerify), "no push, nothing deferred");
  }

  @Test
  void skipPushOrNoSessionMeansNoPush() {
    Properties skip = new Properties();
    skip.setProperty("multiarch.skipPush", "true");
    assertFalse(PushPlan.pushFollows(session(List.of("deploy"), skip), project(null, "push")));
    assertFalse(PushPlan.pushFollows(null, project(null, "push")));
    MavenProject skippedInPom = project(null, "push");
    Xpp3Dom configuration = new Xpp3Dom("configuration");
    Xpp3Dom skipPush = new Xpp3Dom("skipPush");
    skipPush.setValue("true");
    configuration.addChild(skipPush);
    skippedInPom.getBuildPlugins().get(0).setConfiguration(configuration);
    assertFalse(PushPlan.pushFollows(session("deploy"), skippedInPom));
    assertEquals(false, PushPlan.pushFollows(session("deploy"), null));
  }
}
