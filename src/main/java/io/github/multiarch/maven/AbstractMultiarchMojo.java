package io.github.multiarch.maven;

import io.github.multiarch.Timings;
import io.github.multiarch.WarmUp;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * Prints, at the end of the goal, where its time went: each phase (base resolution, each layer, each
   * registry request, attestations, writing the layout…) with its start and duration in milliseconds. With
   * {@code -X} the same table is printed at debug level without this parameter.
   */
  @Parameter(property = "multiarch.timings", defaultValue = "false")
  boolean timings;

  /** This execution's phases; see {@link #timings}. */
  private final Timings recordedTimings = new Timings();

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("multiarch: skipped (multiarch.skip)");
      return;
    }
    long start = System.nanoTime();
    boolean printTimings = timings || getLog().isDebugEnabled();
    // the JVM's management beans are a few hundred classes themselves: asked for only when the table is printed
    long classesBefore = printTimings ? ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() : 0;
    long[] cpuBefore = printTimings ? cpuAndCompilation() : null;
    WarmUp.start(recordedTimings);
    try {
      run();
    } catch (InvalidInputException e) {
      throw new MojoFailureException(ParameterNames.describe(getClass(), e.parameter()) + ": "
          + ParameterNames.render(getClass(), e.getMessage()), e);
    } catch (MultiarchException e) {
      throw new MojoExecutionException(ParameterNames.render(getClass(), e.getMessage()), e);
    } finally {
      release();
      if (printTimings) {
        printTimings(start, classesBefore, cpuBefore);
      }
    }
  }

  Timings timings() {
    return recordedTimings;
  }

  /**
   * The timing table, at info with {@code multiarch.timings}, else at debug. The first line says how long the
   * JVM ran before this goal (Maven's start-up and the goals before it) and how many classes the goal loaded,
   * the part of a goal's cost that no phase of its own shows.
   */
  private void printTimings(long start, long classesBefore, long[] cpuBefore) {
    long goal = System.nanoTime() - start;
    long beforeGoal = System.currentTimeMillis() - goal / 1_000_000
        - ManagementFactory.getRuntimeMXBean().getStartTime();
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classesBefore;
    long[] cpuAfter = cpuAndCompilation();
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "multiarch: timings: this goal %.0f ms (%d classes loaded, the JVM's CPU %s, "
        + "%s of it compiling); the JVM ran %d ms before it (Maven's start-up and earlier goals)", goal / 1e6, classes,
        difference(cpuBefore[0], cpuAfter[0]), difference(cpuBefore[1], cpuAfter[1]), beforeGoal));
    recordedTimings.table().forEach(line -> lines.add("  " + line));
    for (String line : lines) {
      if (timings) {
        getLog().info(line);
      } else {
        getLog().debug(line);
      }
    }
  }

  /**
   * The JVM's CPU time in ms, all its threads (-1 where the JVM does not tell), and the time its JIT compilers
   * spent (-1 likewise): on a machine with few cores, what a goal costs the other processes (a local registry)
   * shows here, not in its wall time.
   */
  private static long[] cpuAndCompilation() {
    long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1_000_000 : -1;
    var compiler = ManagementFactory.getCompilationMXBean();
    long compiling = compiler != null && compiler.isCompilationTimeMonitoringSupported()
        ? compiler.getTotalCompilationTime() : -1;
    return new long[] {cpu, compiling};
  }

  private static String difference(long before, long after) {
    return before < 0 || after < 0 ? "unknown" : (after - before) + " ms";
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
