package io.github.multiarch.maven;

import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What every goal shares: {@code multiarch.skip} and the mapping of engine errors to Maven's. */
public abstract class AbstractMultiarchMojo extends AbstractMojo {
  /** The {@code -D} property of each parameter that has one, to name it in errors. */
  private static final Map<String, String> PROPERTIES = Map.ofEntries(
      Map.entry("image", "multiarch.image"),
      Map.entry("tags", "multiarch.tags"),
      Map.entry("from", "multiarch.from"),
      Map.entry("platforms", "multiarch.platforms"),
      Map.entry("format", "multiarch.format"),
      Map.entry("outputDirectory", "multiarch.outputDirectory"),
      Map.entry("layout", "multiarch.layout"),
      Map.entry("platformTags", "multiarch.platformTags"),
      Map.entry("insecureRegistries", "multiarch.insecureRegistries"),
      Map.entry("caCertificates", "multiarch.caCertificates"),
      Map.entry("chunkSize", "multiarch.chunkSize"),
      Map.entry("parallelUploads", "multiarch.parallelUploads"),
      Map.entry("output", "multiarch.output"),
      Map.entry("sources", "multiarch.sources"),
      Map.entry("amend", "multiarch.amend"),
      Map.entry("digests", "multiarch.digests"),
      Map.entry("indexAnnotations", "multiarch.indexAnnotations"),
      Map.entry("removeEntries", "multiarch.removeEntries"),
      Map.entry("force", "multiarch.force"),
      Map.entry("requiredPlatforms", "multiarch.requiredPlatforms"),
      Map.entry("verifySource", "multiarch.verifySource"),
      Map.entry("binaryCheck", "multiarch.binaryCheck"),
      Map.entry("binaryCheckIgnore", "multiarch.binaryCheckIgnore"),
      Map.entry("smokeCommand", "multiarch.smokeCommand"),
      Map.entry("smokeExpect", "multiarch.smokeExpect"),
      Map.entry("smokeTimeout", "multiarch.smokeTimeout"));

  /** What is at fault when it is not a parameter of the goal. */
  private static final Map<String, String> NOT_PARAMETERS = Map.of(
      "credentials", "registry credentials",
      "settings", "Maven settings",
      "offline", "offline mode");

  /** Skips every goal of this plugin. */
  @Parameter(property = "multiarch.skip", defaultValue = "false")
  boolean skip;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("multiarch: skipped (multiarch.skip)");
      return;
    }
    try {
      run();
    } catch (InvalidInputException e) {
      throw new MojoFailureException(describe(e.parameter()) + ": " + e.getMessage(), e);
    } catch (MultiarchException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    } finally {
      release();
    }
  }

  protected abstract void run() throws MojoExecutionException, MojoFailureException;

  /** Frees what {@link #run()} opened (registry connections), whether it succeeded or not. */
  void release() {}

  /**
   * The {@code -D} properties of this goal's parameters whose names other goals use without one (for
   * example {@code annotations} of {@code annotate}, which {@code build} takes only in the POM).
   */
  Map<String, String> goalProperties() {
    return Map.of();
  }

  private String describe(String parameter) {
    String property = goalProperties().get(parameter);
    return property != null ? "<" + parameter + "> (-D" + property + ")" : describeParameter(parameter);
  }

  /**
   * The tags given in {@code <tags>} or {@code -Dmultiarch.tags}, trimmed and checked. An empty {@code <tag>} (or
   * an empty item of the property, as an unset CI variable gives) is refused rather than dropped, so that the
   * project version is never pushed in its place unnoticed.
   */
  static List<String> givenTags(List<String> tags) {
    List<String> result = new ArrayList<>();
    for (String tag : tags == null ? List.<String>of() : tags) {
      if (tag == null || tag.isBlank()) {
        throw new InvalidInputException("tags", "an empty <tag> in <tags> (or an empty item in -Dmultiarch.tags="
            + String.join(",", tags.stream().map(t -> t == null ? "" : t).toList()) + "); write a tag such as 1.0 "
            + "or latest, or remove it");
      }
      result.add(ImageName.validateTag("tags", tag.trim()));
    }
    return result;
  }

  /**
   * {@code <platforms> (-Dmultiarch.platforms)}, or just the element when it has no property; for what is not
   * a parameter (credentials, Maven settings, offline mode) a plain name.
   */
  static String describeParameter(String parameter) {
    if (NOT_PARAMETERS.containsKey(parameter)) {
      return NOT_PARAMETERS.get(parameter);
    }
    String property = PROPERTIES.get(parameter);
    return "<" + parameter + ">" + (property != null ? " (-D" + property + ")" : "");
  }
}
