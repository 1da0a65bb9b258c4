package io.github.multiarch.supply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.oci.Platform;
import io.github.multiarch.supply.ProvenanceInput.Jdk;
import io.github.multiarch.supply.ProvenanceInput.ProjectCoordinates;
import io.github.multiarch.supply.ProvenanceInput.SourceRevision;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlsaProvenanceTest {
  static final Digest MANIFEST = Digest.sha256("arm64 manifest");
  static final Digest BASE_DIGEST = Digest.sha256("base");
  static final Digest OTHER_BASE_DIGEST = Digest.sha256("other base");
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  static ProvenanceInput input(List<PinnedImage> bases, SourceRevision source, String invocationId) {
    return new ProvenanceInput("registry.example.com/team/hello", List.of("1.0.0", "latest"),
        Platform.parse("platforms", "linux/arm64"), MANIFEST, new ProjectCoordinates("com.example", "hello", "1.0.0"),
        new Tool("Apache Maven", "3.9.11"), new Jdk("21.0.4", "Eclipse Adoptium"), bases, source,
        Instant.parse("2026-01-01T00:00:00Z"), new Tool("multiarch-maven-plugin", "0.1.0"), invocationId);
  }

  static List<PinnedImage> bases() {
    return List.of(new PinnedImage("registry.example.com/base/runtime:1.2", BASE_DIGEST),
        new PinnedImage("eclipse-temurin:21-jre", OTHER_BASE_DIGEST));
  }

  @Test
  void isAnInTotoStatementOfSlsaProvenanceAboutThePlatformManifest() {
    JsonNode statement = OciJson.parse(SlsaProvenance.write(input(bases(),
        new SourceRevision("https://github.com/example/hello.git", COMMIT), "https://ci.example.com/job/42")), "p");
    assertEquals("https://in-toto.io/Statement/v1", statement.get("_type").asText());
    assertEquals("https://slsa.dev/provenance/v1", statement.get("predicateType").asText());
    assertEquals(1, statement.get("subject").size());
    assertEquals("registry.example.com/team/hello", statement.at("/subject/0/name").asText());
    assertEquals(MANIFEST.hex(), statement.at("/subject/0/digest/sha256").asText());

    JsonNode definition = statement.at("/predicate/buildDefinition");
    assertEquals(SlsaProvenance.BUILD_TYPE, definition.get("buildType").asText());
    JsonNode external = definition.get("externalParameters");
    assertEquals("com.example", external.at("/project/groupId").asText());
    assertEquals("hello", external.at("/project/artifactId").asText());
    assertEquals("1.0.0", external.at("/project/version").asText());
    assertEquals("registry.example.com/team/hello", external.get("image").asText());
    assertEquals("[\"1.0.0\",\"latest\"]", external.get("tags").toString());
    assertEquals("linux/arm64/v8", external.get("platform").asText());
    JsonNode internal = definition.get("internalParameters");
    assertEquals("Apache Maven", internal.at("/buildTool/name").asText());
    assertEquals("3.9.11", internal.at("/buildTool/version").asText());
    assertEquals("21.0.4", internal.at("/jdk/version").asText());
    assertEquals("Eclipse Adoptium", internal.at("/jdk/vendor").asText());

    JsonNode resolved = definition.get("resolvedDependencies");
    assertEquals(3, resolved.size());
    assertEquals("oci://eclipse-temurin:21-jre", resolved.at("/0/uri").asText(), "sorted by name");
    assertEquals(OTHER_BASE_DIGEST.hex(), resolved.at("/0/digest/sha256").asText());
    assertEquals("oci://registry.example.com/base/runtime:1.2", resolved.at("/1/uri").asText());
    assertEquals(BASE_DIGEST.hex(), resolved.at("/1/digest/sha256").asText());
    assertEquals("git+https://github.com/example/hello.git", resolved.at("/2/uri").asText());
    assertEquals(COMMIT, resolved.at("/2/digest/gitCommit").asText());

    JsonNode run = statement.at("/predicate/runDetails");
    assertEquals("https://github.com/multiarch/multiarch-maven-plugin@0.1.0", run.at("/builder/id").asText());
    assertEquals("https://ci.example.com/job/42", run.at("/metadata/invocationId").asText());
    assertEquals("2026-01-01T00:00:00Z", run.at("/metadata/startedOn").asText());
    assertEquals("2026-01-01T00:00:00Z", run.at("/metadata/finishedOn").asText());
  }

  @Test
  void theSameInputGivesTheSameBytesWhateverTheOrderOfTheBases() {
    SourceRevision source = new SourceRevision("https://github.com/example/hello.git", COMMIT);
    byte[] first = SlsaProvenance.write(input(bases(), source, null));
    assertArrayEquals(first, SlsaProvenance.write(input(bases(), source, null)));
    assertArrayEquals(first, SlsaProvenance.write(input(List.of(bases().get(1), bases().get(0)), source, null)));
    assertFalse(OciJson.parse(first, "p").at("/predicate/runDetails/metadata").has("invocationId"));
  }

  @Test
  void aScratchImageWithoutKnownSourceHasNoResolvedDependencies() {
    JsonNode statement = OciJson.parse(SlsaProvenance.write(input(List.of(), null, null)), "p");
    assertEquals(0, statement.at("/predicate/buildDefinition/resolvedDependencies").size());
  }

  @Test
  void aSourceWithoutCommitIsNamedWithoutDigest() {
    JsonNode statement = OciJson.parse(SlsaProvenance.write(input(List.of(),
        new SourceRevision("https://github.com/example/hello.git", null), null)), "p");
    JsonNode source = statement.at("/predicate/buildDefinition/resolvedDependencies/0");
    assertEquals("git+https://github.com/example/hello.git", source.get("uri").asText());
    assertFalse(source.has("digest"));
  }

  @Test
  void theSourceUriCarriesNoCredentialsAndNamesEveryKindOfRemote() {
    assertEquals("https://github.com/example/hello.git",
        SlsaProvenance.sourceUri("https://user:ghp_secret@github.com/example/hello.git"));
    assertEquals("https://git.example.com:8443/team/hello.git",
        SlsaProvenance.sourceUri("https://token@git.example.com:8443/team/hello.git"));
    assertEquals("ssh://github.com/example/hello.git", SlsaProvenance.sourceUri("git@github.com:example/hello.git"));
    assertEquals("ssh://git.example.com/team/hello.git", SlsaProvenance.sourceUri("ssh://git@git.example.com/team/hello.git"));
    String file = SlsaProvenance.sourceUri("/work/projects/hello");
    assertEquals(Path.of("/work/projects/hello").toUri().toString(), file);
    assertTrue(file.startsWith("file:"), file);
  }
}
