package io.github.multiarch.supply;

import io.github.multiarch.build.Attestor;
import io.github.multiarch.layer.BuiltLayer;
import io.github.multiarch.oci.Artifact;
import io.github.multiarch.supply.ProvenanceInput.Jdk;
import io.github.multiarch.supply.ProvenanceInput.ProjectCoordinates;
import io.github.multiarch.supply.ProvenanceInput.SourceRevision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attestations of each platform's image: a CycloneDX SBOM and an in-toto SLSA provenance statement, each
 * an OCI 1.1 referrer of the platform's manifest with the {@code artifactType} that tools look for
 * ({@code application/vnd.cyclonedx+json}, {@code application/vnd.in-toto+json}).
 */
public final class Attestations implements Attestor {
  /** The annotation that says which predicate an in-toto referrer holds, as cosign and ORAS write it. */
  public static final String PREDICATE_TYPE_ANNOTATION = "in-toto.io/predicate-type";
  /** The time annotation of every attestation: the build's reproducible time. */
  public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

  /**
   * What the attestations say beyond the image itself.
   *
   * @param sbom write an SBOM per platform
   * @param provenance write a provenance statement per platform
   * @param fallbackImageName the image's name when the build names no repository (the project's)
   * @param libraries the application's runtime libraries and where each is in the image (empty for a non-Java
 *     image)
   * @param merged an existing BOM's library components to use instead of {@code libraries}, or null
   * @param project the coordinates of the project built
   * @param buildTool the build tool, by name and version
   * @param source the source repository and commit, or null when unknown
   * @param buildTime the build's reproducible time
   * @param builder this plugin, by name and version
   * @param invocationId a CI job's identifier, or null
   */
  public record Settings(boolean sbom, boolean provenance, String fallbackImageName, List<LibraryFile> libraries,
      MergedLibraries merged, ProjectCoordinates project, Tool buildTool, SourceRevision source, Instant buildTime,
      Tool builder, String invocationId) {
    public Settings {
      libraries = List.copyOf(libraries);
    }
  }

  /**
   * A library and its file's path in the image: its SHA-256 is taken from the layer that holds it (hashed while
   * the layer was written), so the jars are not read a second time and the SBOM states the bytes the image has.
   */
  public record LibraryFile(Library library, String imagePath) {}

  private final Settings settings;

  public Attestations(Settings settings) {
    this.settings = settings;
  }

  @Override
  public List<Artifact> attest(PlatformBuild build) {
    String name = build.image() != null ? build.image() : settings.fallbackImageName();
    PinnedImage base = build.baseManifest() == null ? null
        : new PinnedImage(build.baseReference(), build.baseManifest().digest());
    Map<String, String> created = Map.of(CREATED_ANNOTATION, settings.buildTime().toString());
    List<Artifact> artifacts = new ArrayList<>();
    if (settings.sbom()) {
      List<ImageFile> files = new ArrayList<>();
      Map<String, String> digestByPath = new HashMap<>();
      for (BuiltLayer.FileDigest file : build.files()) {
        files.add(new ImageFile(file.path(), file.size(), file.sha256().hex()));
        digestByPath.put(file.path(), file.sha256().hex());
      }
      List<Library> libraries = new ArrayList<>();
      for (LibraryFile file : settings.libraries()) {
        Library l = file.library();
        libraries.add(new Library(l.groupId(), l.artifactId(), l.version(), l.classifier(), l.type(),
            l.sha256Hex() != null ? l.sha256Hex() : digestByPath.get(file.imagePath()), l.licenses()));
      }
      byte[] sbom = CycloneDxSbom.write(new SbomInput(name, build.tags(), build.platform(),
          build.manifest().digest(), files, libraries, settings.merged(), base, settings.buildTime(),
          settings.builder()));
      artifacts.add(Artifact.referrer(CycloneDxSbom.MEDIA_TYPE, build.manifest(),
          List.of(new Artifact.Layer(CycloneDxSbom.MEDIA_TYPE, sbom, Map.of())), created));
    }
    if (settings.provenance()) {
      byte[] statement = SlsaProvenance.write(new ProvenanceInput(name, build.tags(), build.platform(),
          build.manifest().digest(), settings.project(), settings.buildTool(), Jdk.current(),
          base == null ? List.of() : List.of(base), settings.source(), settings.buildTime(), settings.builder(),
          settings.invocationId()));
      Map<String, String> annotations = new TreeMap<>(created);
      annotations.put(PREDICATE_TYPE_ANNOTATION, SlsaProvenance.PREDICATE_TYPE);
      artifacts.add(Artifact.referrer(SlsaProvenance.MEDIA_TYPE, build.manifest(),
          List.of(new Artifact.Layer(SlsaProvenance.MEDIA_TYPE, statement, Map.of(PREDICATE_TYPE_ANNOTATION,
              SlsaProvenance.PREDICATE_TYPE))), annotations));
    }
    return artifacts;
  }
}
