package io.github.multiarch.supply;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the provenance of one platform's image records.
 *
 * @param imageName the image's repository, such as {@code registry.example.com/team/hello}
 * @param tags the tags the image gets
 * @param manifestDigest the platform manifest's digest: the statement's subject
 * @param project the coordinates of the project that was built
 * @param buildTool the build tool that ran the build, by name and version (e.g. Apache Maven 3.9.11)
 * @param jdk the JDK the build ran on
 * @param baseImages the base images the image was built on; empty for scratch
 * @param source the source the build read, or null when it is not in a repository this plugin can read
 * @param buildTime the build's reproducible timestamp, written as when it started and finished
 * @param builder this plugin, by name and version
 * @param invocationId an identifier of this run of the build (e.g. a CI job's URL), or null
 */
public record ProvenanceInput(String imageName, List<String> tags, Platform platform, Digest manifestDigest,
    ProjectCoordinates project, Tool buildTool, Jdk jdk, List<PinnedImage> baseImages, SourceRevision source,
    Instant buildTime, Tool builder, String invocationId) {

  /** A project's group, artifact and version. */
  public record ProjectCoordinates(String groupId, String artifactId, String version) {
    public ProjectCoordinates {
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(artifactId, "artifactId");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * The Java runtime a build ran on.
   *
   * @param version {@code java.version}, e.g. {@code 21.0.4}
   * @param vendor {@code java.vendor}, e.g. {@code Eclipse Adoptium}; null when unknown
   */
  public record Jdk(String version, String vendor) {
    public Jdk {
      Objects.requireNonNull(version, "version");
    }

    /** The JDK running this code. */
    public static Jdk current() {
      return new Jdk(System.getProperty("java.version"), System.getProperty("java.vendor"));
    }
  }

  /**
   * Where the source came from and the commit it was at.
   *
   * @param location the repository's remote URL (https, ssh, or scp-like {@code git@host:path}) or, without a
   *     remote, its directory
   * @param commit the commit the working tree was at ({@code GitRevision}), or null when unknown
   */
  public record SourceRevision(String location, String commit) {
    public SourceRevision {
      Objects.requireNonNull(location, "location");
    }
  }

  public ProvenanceInput {
    Objects.requireNonNull(imageName, "imageName");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(buildTool, "buildTool");
    Objects.requireNonNull(jdk, "jdk");
    Objects.requireNonNull(buildTime, "buildTime");
    Objects.requireNonNull(builder, "builder");
    tags = tags == null ? List.of() : List.copyOf(tags);
    baseImages = baseImages == null ? List.of() : List.copyOf(baseImages);
  }
}
