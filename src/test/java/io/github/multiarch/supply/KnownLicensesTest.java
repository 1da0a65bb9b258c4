package io.github.multiarch.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remembered licenses are the ones {@link PomLicenses} would read: a POM rewritten behind the record's back
 * with its old size and time stamp shows that the record was used, and every other change shows that it was not.
 */
class KnownLicensesTest {
  static final FileTime LONG_AGO = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));

  @TempDir
  Path tmp;
  Path cache;
  Path repository;

  @BeforeEach
  void dirs() throws IOException {
    cache = Files.createDirectories(tmp.resolve("cache"));
    repository = Files.createDirectories(tmp.resolve("repository"));
  }

  /** A POM whose license name has a fixed length, so that two versions can have the same size. */
  Path pom(String name, String parent, String license) throws IOException {
    Path pom = repository.resolve(name + ".pom");
    String parentXml = parent == null ? "" : "<parent><groupId>org.example</groupId><artifactId>" + parent
        + "</artifactId><version>1.0</version></parent>";
    String licenses = license == null ? "" : "<licenses><license><name>" + license + "</name></license></licenses>";
    Files.writeString(pom, "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">" + parentXml + "<artifactId>"
        + name + "</artifactId>" + licenses + "</project>\n");
    Files.setLastModifiedTime(pom, LONG_AGO);
    return pom;
  }

  Function<String, Optional<Path>> parents() {
    return coordinates -> {
      Path pom = repository.resolve(coordinates.split(":")[1] + ".pom");
      return Files.isRegularFile(pom) ? Optional.of(pom) : Optional.empty();
    };
  }

  List<String> read(Path pom) {
    KnownLicenses known = KnownLicenses.in(cache);
    List<String> licenses = known.of(pom, parents());
    known.save();
    return licenses;
  }

  @Test
  void anUnchangedPomIsNotReadAgain() throws IOException {
    Path lib = pom("lib", null, "MIT-License-One");
    assertEquals(List.of("MIT-License-One"), read(lib));
    pom("lib", null, "MIT-License-Two"); // same size, same time stamp: only the record can tell the old answer
    assertEquals(List.of("MIT-License-One"), read(lib));
    assertEquals(List.of("MIT-License-Two"), PomLicenses.of(lib, parents()));
  }

  @Test
  void aChangedPomIsReadAgain() throws IOException {
    Path lib = pom("lib", null, "MIT-License-One");
    assertEquals(List.of("MIT-License-One"), read(lib));
    pom("lib", null, "MIT-License-Two");
    Files.setLastModifiedTime(lib, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
    assertEquals(List.of("MIT-License-Two"), read(lib));
    pom("lib", null, "Apache-2.0");
    assertEquals(List.of("Apache-2.0"), read(lib), "another size");
  }

  @Test
  void aChangedOrNewParentMakesTheChildReadAgain() throws IOException {
    Path lib = pom("lib", "lib-parent", null);
    assertEquals(List.of(), read(lib), "no parent at hand yet");
    pom("lib-parent", null, "MIT-License-One");
    assertEquals(List.of("MIT-License-One"), read(lib), "the parent appeared");
    pom("lib-parent", null, "MIT-License-Two");
    assertEquals(List.of("MIT-License-One"), read(lib), "the parent unchanged by its stamp");
    Files.setLastModifiedTime(repository.resolve("lib-parent.pom"), FileTime.from(Instant.parse("2026-02-01T00:00:00Z")));
    assertEquals(List.of("MIT-License-Two"), read(lib), "the parent changed");
    Files.delete(repository.resolve("lib-parent.pom"));
    assertEquals(List.of(), read(lib), "the parent is gone");
  }

  @Test
  void aPomChangedInTheLastSecondsIsNotRemembered() throws IOException {
    Path lib = pom("lib", null, "MIT-License-One");
    Files.setLastModifiedTime(lib, FileTime.from(Instant.now()));
    assertEquals(List.of("MIT-License-One"), read(lib));
    FileTime now = Files.getLastModifiedTime(lib);
    pom("lib", null, "MIT-License-Two");
    Files.setLastModifiedTime(lib, now);
    assertEquals(List.of("MIT-License-Two"), read(lib));
  }

  @Test
  void aDamagedRecordIsReadAsEmptyAndWrittenAgain() throws IOException {
    Path lib = pom("lib", null, "MIT-License-One");
    Files.writeString(cache.resolve("pom-licenses.json"), "{\"format\":1,\"poms\":[{\"pom\":{\"path\":3}}");
    assertEquals(List.of("MIT-License-One"), read(lib));
    String record = Files.readString(cache.resolve("pom-licenses.json"));
    assertTrue(record.contains("MIT-License-One"), record);
    pom("lib", null, "MIT-License-Two");
    assertEquals(List.of("MIT-License-One"), read(lib), "the rewritten record is used");
  }

  @Test
  void noneRemembersNothing() throws IOException {
    Path lib = pom("lib", null, "MIT-License-One");
    KnownLicenses none = KnownLicenses.none();
    assertEquals(List.of("MIT-License-One"), none.of(lib, parents()));
    none.save();
    pom("lib", null, "MIT-License-Two");
    assertEquals(List.of("MIT-License-Two"), none.of(lib, parents()));
    assertFalse(Files.exists(cache.resolve("pom-licenses.json")));
  }
}
