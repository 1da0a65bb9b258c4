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
import javax.xml.parsers.DocumentBuilderFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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

  /**
   * The generated reference (the site's goal pages, {@code mvn multiarch:help -Ddetail}) describes every parameter a
   * user can set: a Javadoc comment stacked above another parameter's attaches to nothing, silently.
   */
  @Test
  void everyParameterAUserCanSetIsDescribed() throws Exception {
    Path descriptor = Path.of("target/classes/META-INF/maven/plugin.xml");
    assertTrue(Files.exists(descriptor), descriptor + " is made by the build before the tests");
    NodeList mojos = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(descriptor.toFile())
        .getElementsByTagName("mojo");
    Set<String> undescribed = new TreeSet<>();
    int checked = 0;
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      String goal = mojo.getElementsByTagName("goal").item(0).getTextContent();
      NodeList parameters = mojo.getElementsByTagName("parameter");
      for (int j = 0; j < parameters.getLength(); j++) {
        Element parameter = (Element) parameters.item(j);
        if ("false".equals(text(parameter, "editable"))) {
          continue; // ${project}, ${session} and the like
        }
        checked++;
        if (text(parameter, "description").isBlank()) {
          undescribed.add(goal + ": " + text(parameter, "name"));
        }
      }
    }
    assertTrue(checked > 60, "checked only " + checked + " parameters");
    assertEquals(Set.of(), undescribed, "parameters without a description in the plugin descriptor");
  }

  private static String text(Element parent, String child) {
    NodeList nodes = parent.getElementsByTagName(child);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
  }
}
