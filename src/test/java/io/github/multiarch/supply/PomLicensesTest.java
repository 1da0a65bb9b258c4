package io.github.multiarch.supply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PomLicensesTest {
  static final Function<String, Optional<Path>> NO_PARENTS = coordinates -> Optional.empty();

  @TempDir
  Path tmp;

  Path pom(String name, String body) throws IOException {
    return Files.writeString(tmp.resolve(name), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n<modelVersion>4.0.0</modelVersion>\n" + body
        + "\n</project>\n");
  }

  static String licenses(String... entries) {
    StringBuilder xml = new StringBuilder("<licenses>");
    for (String entry : entries) {
      xml.append("<license>").append(entry).append("</license>");
    }
    return xml.append("</licenses>").toString();
  }

  @Test
  void mapsCommonNamesToSpdxIdsAndKeepsOtherNames() throws IOException {
    Path pom = pom("lib.pom", licenses(
        "<name>The Apache Software License, Version 2.0</name><url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>",
        "<name>  The MIT\n    License </name>",
        "<name>Eclipse Public License - v 2.0</name>",
        "<name>BSD 3-Clause License</name>",
        "<name>GNU General Public License, version 2 with the GNU Classpath Exception</name>",
        "<name>Apache License, Version 2.0</name>"));
    assertEquals(List.of("Apache-2.0", "MIT", "EPL-2.0", "BSD-3-Clause",
        "GNU General Public License, version 2 with the GNU Classpath Exception"), PomLicenses.of(pom, NO_PARENTS));
  }

  @Test
  void aLicenseWithoutNameIsNamedByItsUrl() throws IOException {
    Path pom = pom("lib.pom", licenses("<url>https://example.com/LICENSE.txt</url>", "<comments>nothing</comments>"));
    assertEquals(List.of("https://example.com/LICENSE.txt"), PomLicenses.of(pom, NO_PARENTS));
  }

  @Test
  void followsTheParentsWhenThePomDeclaresNone() throws IOException {
    Path lib = pom("lib.pom", "<parent><groupId>org.example</groupId><artifactId>lib-parent</artifactId>"
        + "<version>1.0</version></parent><artifactId>lib</artifactId>");
    Path parent = pom("lib-parent.pom", "<parent><groupId>org.example</groupId><artifactId>org-parent</artifactId>"
        + "<version>7</version></parent><artifactId>lib-parent</artifactId>");
    Path organisation = pom("org-parent.pom", licenses("<name>Apache License, Version 2.0</name>"));
    List<String> asked = new ArrayList<>();
    Map<String, Path> repository = Map.of("org.example:lib-parent:1.0", parent, "org.example:org-parent:7",
        organisation);
    List<String> found = PomLicenses.of(lib, coordinates -> {
      asked.add(coordinates);
      return Optional.ofNullable(repository.get(coordinates));
    });
    assertEquals(List.of("Apache-2.0"), found);
    assertEquals(List.of("org.example:lib-parent:1.0", "org.example:org-parent:7"), asked);
  }

  @Test
  void aPomsOwnLicensesWinOverItsParents() throws IOException {
    Path lib = pom("lib.pom", "<parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent>"
        + licenses("<name>MIT License</name>"));
    assertEquals(List.of("MIT"), PomLicenses.of(lib, coordinates -> {
      throw new AssertionError("the parent is not needed");
    }));
  }

  @Test
  void stopsAtACycleAndAfterAFewParents() throws IOException {
    Path self = pom("self.pom", "<parent><groupId>g</groupId><artifactId>self</artifactId><version>1</version>"
        + "</parent>");
    assertEquals(List.of(), PomLicenses.of(self, coordinates -> Optional.of(self)));

    List<String> asked = new ArrayList<>();
    Path deep = pom("deep.pom", "<parent><groupId>g</groupId><artifactId>level</artifactId><version>1</version>"
        + "</parent>");
    // every parent names a new one: the search gives up instead of walking forever
    assertEquals(List.of(), PomLicenses.of(deep, coordinates -> {
      asked.add(coordinates);
      try {
        return Optional.of(pom("level" + asked.size() + ".pom", "<parent><groupId>g</groupId><artifactId>level"
            + asked.size() + "</artifactId><version>1</version></parent>"));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }));
    assertEquals(PomLicenses.MAX_PARENT_DEPTH, asked.size());
  }

  @Test
  void aMissingOrBrokenPomGivesNoLicenses() throws IOException {
    assertEquals(List.of(), PomLicenses.of(tmp.resolve("missing.pom"), NO_PARENTS));
    assertEquals(List.of(), PomLicenses.of(Files.writeString(tmp.resolve("broken.pom"), "<project><licenses>"),
        NO_PARENTS));
    assertEquals(List.of(), PomLicenses.of(Files.writeString(tmp.resolve("other.xml"),
        "<settings><licenses><license><name>MIT</name></license></licenses></settings>"), NO_PARENTS));
    Path lib = pom("lib.pom", "<parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent>");
    assertEquals(List.of(), PomLicenses.of(lib, coordinates -> {
      throw new IllegalStateException("the repository is not reachable");
    }));
  }

  @Test
  void anExternalEntityIsNotRead() throws IOException {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET-CONTENT");
    Path pom = Files.writeString(tmp.resolve("xxe.pom"), "<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE project [<!ENTITY secret SYSTEM \"" + secret.toUri() + "\">]>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><licenses><license><name>&secret;</name>"
        + "</license></licenses></project>\n");
    List<String> licenses = PomLicenses.of(pom, NO_PARENTS);
    assertFalse(licenses.stream().anyMatch(l -> l.contains("TOP-SECRET")), licenses.toString());
    assertTrue(licenses.isEmpty(), "a POM with a DOCTYPE is refused: " + licenses);

    Path parameterEntity = Files.writeString(tmp.resolve("xxe-parameter.pom"), "<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE project [<!ENTITY % remote SYSTEM \"" + secret.toUri() + "\"> %remote;]>\n"
        + "<project><licenses><license><name>MIT</name></license></licenses></project>\n");
    assertEquals(List.of(), PomLicenses.of(parameterEntity, NO_PARENTS));
  }
}
