package io.github.multiarch.maven;

import io.github.multiarch.FileTrees;
import io.github.multiarch.index.ImageSource;
import io.github.multiarch.index.ImageSources;
import io.github.multiarch.index.Inspection;
import io.github.multiarch.index.Inspector;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.OciJson;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what an image reference or a local layout holds: index or single image, media types, and per
 * entry the platform, digest, size and annotations. Needs no project:
 * {@code mvn multiarch:inspect -Dmultiarch.image=REF}.
 */
@Mojo(name = "inspect", requiresProject = false, threadSafe = true)
public class InspectMojo extends AbstractRegistryMojo {
  /**
   * What to inspect: a registry reference ({@code registry.example.com/app:1.0}, {@code …@sha256:…}) or a
   * local layout ({@code oci-layout:PATH[:TAG]}, {@code oci-archive:PATH[:TAG]}). Without it, the layout the
   * build wrote.
   */
  @Parameter(property = "multiarch.image")
  String image;

  /**
   * The layout inspected when no image is given: a build's output directory or a layout directory; by default the
   * build's {@code outputDirectory}.
   */
  @Parameter(property = "multiarch.layout")
  File layout;

  /**
   * The {@code build} goal's output directory, read from the plugin's configuration (or
   * {@code -Dmultiarch.outputDirectory}): the {@code layout} used when none is given.
   */
  @Parameter(property = "multiarch.outputDirectory", defaultValue = "${project.build.directory}/multiarch")
  File outputDirectory;

  /**
   * Mirrors to read the image from, per registry, each tried in order before the registry itself (which is still
   * asked last): {@code <mirror><registry>docker.io</registry><mirrors><mirror>mirror.example.com</mirror>
   * </mirrors></mirror>}, as Jib writes it. The mirrors of the containers {@code registries.conf}
   * ({@code CONTAINERS_REGISTRIES_CONF}, {@code ~/.config/containers/registries.conf},
   * {@code /etc/containers/registries.conf}) are tried after these. Pushes never go to a mirror. See
   * docs/enterprise-registries.md.
   */
  @Parameter
  List<RegistryMirror> registryMirrors;

  /** {@code table} (the default, for people) or {@code json} (printed alone on standard output, for scripts). */
  @Parameter(property = "multiarch.output", defaultValue = "table")
  String output;

  @Override
  protected void run() {
    String format = output == null ? "table" : output.trim().toLowerCase(Locale.ROOT);
    if (!format.equals("table") && !format.equals("json")) {
      throw new InvalidInputException("output", "unknown output '" + output + "'; valid: table, json");
    }
    String reference = image;
    if (reference == null || reference.isBlank()) {
      reference = "oci-layout:" + layoutOf(layoutOrOutput(layout, outputDirectory).toPath());
    }
    Path basedir = Path.of(System.getProperty("user.dir"));
    Path workDir = FileTrees.createTempDirectory("multiarch-inspect-");
    try {
      ImageSource source = ImageSources.parse("image", reference, basedir, workDir,
          registry -> client(registry, registryOptions()), readMirrors(registryMirrors), engineLog());
      Inspection inspection = Inspector.inspect(source);
      if (format.equals("json")) {
        // on standard output by itself, so that `mvn -q multiarch:inspect -Dmultiarch.output=json` pipes into jq
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(new String(OciJson.toPrettyBytes(Inspector.json(inspection)), StandardCharsets.UTF_8));
      } else {
        Inspector.table(inspection).forEach(getLog()::info);
      }
    } finally {
      FileTrees.deleteRecursively(workDir);
    }
  }
}
