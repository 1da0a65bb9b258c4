package io.github.multiarch.maven;

import io.github.multiarch.build.Attestor;
import io.github.multiarch.build.GitRevision;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.supply.Attestations;
import io.github.multiarch.supply.Library;
import io.github.multiarch.supply.MergedLibraries;
import io.github.multiarch.supply.KnownLicenses;
import io.github.multiarch.supply.ProvenanceInput.ProjectCoordinates;
import io.github.multiarch.supply.ProvenanceInput.SourceRevision;
import io.github.multiarch.supply.Tool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;

/** Gathers from the project what the attestations say: its libraries, coordinates, source and tools. */
final class SupplyChain {
  private static final Pattern ORIGIN_URL = Pattern.compile(
      "\\[remote \"origin\"\\][^\\[]*?\\burl\\s*=\\s*(\\S+)", Pattern.DOTALL);

  private SupplyChain() {}

  /**
   * The attestor of a build, or null when neither SBOM nor provenance is wanted.
   *
   * @param javaApplication the layers of a Java application (its runtime libraries go into the SBOM), or null
   * @param sbomSource an existing CycloneDX BOM to take the libraries from; null for the project's
   *     {@code target/bom.json} when the image is a Java application and there is one
   * @param cacheDirectory where the licenses read from library POMs are remembered; null for nowhere
   */
  static Attestor attestor(boolean sbom, boolean provenance, JavaLayers javaApplication, File sbomSource,
      MavenProject project, MavenSession session, MojoExecution execution, Instant buildTime,
      Map<String, String> environment, Path cacheDirectory) {
    if (!sbom && !provenance) {
      return null;
    }
    MergedLibraries merged = null;
    Path defaultBom = Path.of(project.getBuild().getDirectory(), "bom.json");
    if (sbom && sbomSource != null) {
      merged = MergedLibraries.read(sbomSource.toPath()); // a BOM named by the user must be there and readable
    } else if (sbom && javaApplication != null && Files.isRegularFile(defaultBom)) {
      merged = MergedLibraries.read(defaultBom); // cyclonedx-maven-plugin's, describing this application
    }
    List<Attestations.LibraryFile> libraries = List.of();
    if (sbom && javaApplication != null && merged == null) {
      KnownLicenses known = cacheDirectory == null ? KnownLicenses.none() : KnownLicenses.in(cacheDirectory);
      libraries = libraries(project, session, javaApplication.imagePaths(), known);
      known.save();
    }
    String pluginVersion = execution != null ? execution.getMojoDescriptor().getPluginDescriptor().getVersion()
        : "unknown";
    String mavenVersion = session != null ? session.getSystemProperties().getProperty("maven.version", "unknown")
        : "unknown";
    return new Attestations(new Attestations.Settings(sbom, provenance, project.getArtifactId(), libraries, merged,
        new ProjectCoordinates(project.getGroupId(), project.getArtifactId(), project.getVersion()),
        new Tool("Apache Maven", mavenVersion), source(project), buildTime == null ? Instant.EPOCH : buildTime,
        new Tool("multiarch-maven-plugin", pluginVersion), invocationId(environment)));
  }

  /**
   * The runtime libraries in resolution order, each with the licenses its POM declares and its path in the image
   * (its SHA-256 comes from the layer that holds it; a library the image does not hold is hashed here).
   */
  static List<Attestations.LibraryFile> libraries(MavenProject project, MavenSession session,
      Map<Path, String> imagePaths, KnownLicenses known) {
    Path localRepository = session != null && session.getRepositorySession() != null
        ? session.getRepositorySession().getLocalRepository().getBasedir().toPath() : null;
    List<Attestations.LibraryFile> libraries = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      File file = artifact.getFile();
      if (file == null || !file.isFile() || !JavaLayers.isRuntime(artifact)) {
        continue;
      }
      Path pom = file.toPath().resolveSibling(artifact.getArtifactId() + "-" + artifact.getBaseVersion() + ".pom");
      List<String> licenses = known.of(pom, coordinates -> pomIn(localRepository, coordinates));
      String imagePath = imagePaths.get(file.toPath());
      libraries.add(new Attestations.LibraryFile(new Library(artifact.getGroupId(), artifact.getArtifactId(),
          artifact.getBaseVersion(), artifact.getClassifier(), artifact.getType(),
          imagePath == null ? sha256(file.toPath()) : null, licenses), imagePath));
    }
    return libraries;
  }

  /** The POM of {@code groupId:artifactId:version} in the local repository, if it is there. */
  private static Optional<Path> pomIn(Path localRepository, String coordinates) {
    String[] parts = coordinates.split(":");
    if (localRepository == null || parts.length != 3) {
      return Optional.empty();
    }
    Path pom = localRepository.resolve(parts[0].replace('.', '/')).resolve(parts[1]).resolve(parts[2])
        .resolve(parts[1] + "-" + parts[2] + ".pom");
    return Files.isRegularFile(pom) ? Optional.of(pom) : Optional.empty();
  }

  private static String sha256(Path file) {
    MessageDigest digest = Digest.newSha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new MultiarchException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The source: the git remote {@code origin} and the commit the working tree is at, else the POM's
   * {@code <scm><url>}, else none (a project outside version control has no source to name).
   */
  static SourceRevision source(MavenProject project) {
    Path basedir = project.getBasedir().toPath();
    String commit = GitRevision.of(basedir).orElse(null);
    for (Path dir = basedir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path config = dir.resolve(".git").resolve("config");
      if (Files.isRegularFile(config)) {
        try {
          Matcher origin = ORIGIN_URL.matcher(Files.readString(config, StandardCharsets.UTF_8));
          return new SourceRevision(origin.find() ? origin.group(1) : dir.toString(), commit);
        } catch (IOException e) {
          break;
        }
      }
    }
    if (project.getScm() != null && project.getScm().getUrl() != null) {
      return new SourceRevision(project.getScm().getUrl(), commit);
    }
    return commit == null ? null : new SourceRevision(basedir.toString(), commit);
  }

  /** The CI job that runs the build, when the CI says (GitHub Actions, GitLab CI); null elsewhere. */
  static String invocationId(Map<String, String> environment) {
    String github = environment.get("GITHUB_RUN_ID");
    if (github != null && environment.get("GITHUB_REPOSITORY") != null) {
      return environment.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/"
          + environment.get("GITHUB_REPOSITORY") + "/actions/runs/" + github + "/attempts/"
          + environment.getOrDefault("GITHUB_RUN_ATTEMPT", "1");
    }
    return environment.get("CI_JOB_URL");
  }

  /** Refuses an SBOM source given while no SBOM is written: the user expects it to be used. */
  static void checkSbomSource(File sbomSource, boolean sbom) {
    if (sbomSource != null && !sbom) {
      throw new InvalidInputException("sbomSource", "sbomSource is set but no SBOM is written; set "
          + InvalidInputException.param("sbom", "true") + " and " + InvalidInputException.param("attestations", "true")
          + ", or remove sbomSource");
    }
  }
}
