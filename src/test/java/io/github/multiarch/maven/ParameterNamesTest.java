package io.github.multiarch.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.RegistriesConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The names in messages come from the plugin descriptor Maven reads, and every name the engine uses is a
 * parameter of some goal: the engine and the mojos cannot drift apart unnoticed.
 */
class ParameterNamesTest {
  @Test
  void eachGoalNamesItsParametersWithTheirOwnProperty() {
    assertEquals("<platforms> (-Dmultiarch.platforms)", ParameterNames.describe(BuildMojo.class, "platforms"));
    assertEquals("<layers>", ParameterNames.describe(BuildMojo.class, "layers"), "no property: the element only");
    assertEquals("<annotations>", ParameterNames.describe(BuildMojo.class, "annotations"));
    assertEquals("<annotations> (-Dmultiarch.annotations)", ParameterNames.describe(AnnotateMojo.class,
        "annotations"), "the same name, a property in annotate only");
    assertEquals("<smokeTimeout> (-Dmultiarch.smokeTimeout)", ParameterNames.describe(VerifyMojo.class, "smokeTimeout"));
    assertEquals("offline mode", ParameterNames.describe(PushMojo.class, "offline"));
    assertEquals("the containers registries.conf", ParameterNames.describe(BuildMojo.class,
        RegistriesConf.PARAMETER));
    assertEquals("<registryMirrors>", ParameterNames.describe(InspectMojo.class, "registryMirrors"));
  }

  @Test
  void rendersTheEnginesReferencesInTheGoalsTerms() {
    assertEquals("set -Dmultiarch.amend=true to replace, or -Dmultiarch.allowDuplicates=true; list it in "
        + "<insecureRegistries> (-Dmultiarch.insecureRegistries)", ParameterNames.render(CreateMojo.class,
        "set " + InvalidInputException.param("amend", "true") + " to replace, or "
            + InvalidInputException.param("allowDuplicates", "true") + "; list it in "
            + InvalidInputException.param("insecureRegistries")));
    assertEquals("no reference here {platform}", ParameterNames.render(BuildMojo.class, "no reference here {platform}"));
    assertEquals("e.g. <layers>x</layers>", ParameterNames.render(BuildMojo.class,
        "e.g. " + InvalidInputException.param("layers", "x")), "a parameter without a property, as an element");
  }

  /** Every parameter named by the engine, in an error or inside a message, is one that some goal has. */
  @Test
  void everyNameTheEngineUsesIsAParameter() throws IOException {
    Pattern named = Pattern.compile("(?:new InvalidInputException|InvalidInputException\\.param|checkRange)\\(\"(\\w+)\"");
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/github/multiarch"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = named.matcher(Files.readString(file));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    assertTrue(used.size() > 20, "found " + used);
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(ParameterNames.allNames());
    assertEquals(Set.of(), unknown, "names the engine uses that no goal has as a parameter");
  }
}
