package io.github.multiarch.maven;

import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every goal shares: {@code multiarch.skip} and the mapping of engine errors to Maven's, naming the
 * parameter at fault as its POM element and {@code -D} property ({@link ParameterNames}).
 */
public abstract class AbstractMultiarchMojo extends AbstractMojo {
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
      throw new MojoFailureException(ParameterNames.describe(getClass(), e.parameter()) + ": "
          + ParameterNames.render(getClass(), e.getMessage()), e);
    } catch (MultiarchException e) {
      throw new MojoExecutionException(ParameterNames.render(getClass(), e.getMessage()), e);
    } finally {
      release();
    }
  }

  /**
   * The goal's work, once the parameters are injected; {@link #execute()} turns the engine's exceptions into
   * Maven's.
   *
   * @throws MojoExecutionException when the goal cannot finish (a registry, a file, the network)
   * @throws MojoFailureException when the project or the parameters are wrong
   */
  protected abstract void run() throws MojoExecutionException, MojoFailureException;

  /** Frees what {@link #run()} opened (registry connections), whether it succeeded or not. */
  void release() {}

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
}
