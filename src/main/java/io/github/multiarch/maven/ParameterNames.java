package io.github.multiarch.maven;

import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.RegistriesConf;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * How the engine's parameter names read to a Maven user: the POM element and its {@code -D} property, taken
 * from the plugin descriptor Maven itself reads ({@code META-INF/maven/plugin.xml}, generated from the mojos),
 * so that no hand-kept table can drift from the parameters. The engine writes a parameter inside a message
 * as {@link InvalidInputException#param(String)} ({@code ‹amend›}, or {@code ‹platforms=linux/amd64›} for an
 * example value); {@link #render} turns those into {@code <amend> (-Dmultiarch.amend)} and
 * {@code -Dmultiarch.platforms=linux/amd64}.
 */
final class ParameterNames {
  /** What is at fault when it is not a parameter of the goal. */
  private static final Map<String, String> NOT_PARAMETERS = Map.of(
      "credentials", "registry credentials",
      "settings", "Maven settings",
      "offline", "offline mode",
      RegistriesConf.PARAMETER, "the containers registries.conf");
  private static final Pattern REFERENCE = Pattern.compile("\u2039([A-Za-z]+)(?:=([^\u203a]*))?\u203a");
  private static volatile Map<String, Map<String, String>> byMojoClass;

  private ParameterNames() {}

  /**
   * {@code <platforms> (-Dmultiarch.platforms)} for a parameter of the goal implemented by {@code mojoClass},
   * {@code <layers>} for one without a property, a plain name for what is not a parameter (credentials, Maven
   * settings, offline mode).
   */
  static String describe(Class<?> mojoClass, String parameter) {
    if (NOT_PARAMETERS.containsKey(parameter)) {
      return NOT_PARAMETERS.get(parameter);
    }
    String property = property(mojoClass, parameter);
    return "<" + parameter + ">" + (property != null ? " (-D" + property + ")" : "");
  }

  /** The {@code -D} property of a parameter of the goal, or null when it has none. */
  static String property(Class<?> mojoClass, String parameter) {
    return table().getOrDefault(mojoClass.getName(), Map.of()).get(parameter);
  }

  /** Whether the goal implemented by {@code mojoClass} has a parameter of that name. */
  static boolean isParameter(Class<?> mojoClass, String parameter) {
    return table().getOrDefault(mojoClass.getName(), Map.of()).containsKey(parameter);
  }

  /** Every parameter of every goal, and the names of what is at fault without being a parameter. */
  static Set<String> allNames() {
    Set<String> names = new TreeSet<>(NOT_PARAMETERS.keySet());
    table().values().forEach(parameters -> names.addAll(parameters.keySet()));
    return names;
  }

  /** The message with every {@code ‹name›} and {@code ‹name=value›} of the engine in the goal's terms. */
  static String render(Class<?> mojoClass, String message) {
    if (message == null || message.indexOf('\u2039') < 0) {
      return message;
    }
    Matcher m = REFERENCE.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = m.group(2);
      String property = property(mojoClass, name);
      String text = value == null ? describe(mojoClass, name)
          : property != null ? "-D" + property + "=" + value : "<" + name + ">" + value + "</" + name + ">";
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Parameter → property ("" stands for none) of each mojo class, read once from the plugin descriptor. */
  private static Map<String, Map<String, String>> table() {
    Map<String, Map<String, String>> table = byMojoClass;
    if (table == null) {
      synchronized (ParameterNames.class) {
        if (byMojoClass == null) {
          byMojoClass = read();
        }
        table = byMojoClass;
      }
    }
    return table;
  }

  private static Map<String, Map<String, String>> read() {
    Map<String, Map<String, String>> table = new HashMap<>();
    try {
      // this plugin's own descriptor: the one that names this class's package (a class loader may see others)
      var descriptors = ParameterNames.class.getClassLoader().getResources("META-INF/maven/plugin.xml");
      while (descriptors.hasMoreElements() && table.keySet().stream().noneMatch(k -> k.startsWith(
          ParameterNames.class.getPackageName() + "."))) {
        table.clear();
        read(descriptors.nextElement(), table);
      }
    } catch (java.io.IOException e) {
      // without the descriptor, parameters are named without their property: still right, only less helpful
    }
    return table;
  }

  private static void read(java.net.URL descriptor, Map<String, Map<String, String>> table) {
    try (InputStream in = descriptor.openStream()) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Document document = factory.newDocumentBuilder().parse(in);
      NodeList mojos = document.getElementsByTagName("mojo");
      for (int i = 0; i < mojos.getLength(); i++) {
        Element mojo = (Element) mojos.item(i);
        Map<String, String> parameters = new HashMap<>();
        NodeList names = mojo.getElementsByTagName("parameter");
        for (int j = 0; j < names.getLength(); j++) {
          Element parameter = (Element) names.item(j);
          parameters.put(text(parameter, "name"), null);
        }
        Element configuration = child(mojo, "configuration");
        if (configuration != null) {
          for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
            String expression = n.getTextContent() == null ? "" : n.getTextContent().trim();
            if (n instanceof Element e && expression.startsWith("${multiarch.") && expression.endsWith("}")) {
              parameters.put(e.getTagName(), expression.substring(2, expression.length() - 1));
            }
          }
        }
        table.put(text(mojo, "implementation"), parameters);
      }
    } catch (Exception e) {
      // an unreadable descriptor names no parameter; the next one is tried
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element parent, String name) {
    Element child = child(parent, name);
    return child == null ? "" : child.getTextContent().trim();
  }
}
