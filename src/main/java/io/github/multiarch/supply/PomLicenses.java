package io.github.multiarch.supply;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The licenses a library declares in its POM ({@code <licenses><license><name>}, or the {@code <url>} of a license
 * without a name), inherited from its parents when it declares none, as POM inheritance does. A name that
 * certainly means an SPDX license becomes its id ({@code Apache License, Version 2.0} → {@code Apache-2.0}); any
 * other stays as written.
 *
 * <p>A dependency's POM is not the user's input: one that is missing or cannot be read gives no licenses, never
 * an error. It is parsed with DOCTYPEs refused, so no entity in it can make the parser read a file or URL
 * (OWASP XXE Prevention Cheat Sheet, "JAXP DocumentBuilderFactory").
 */
public final class PomLicenses {
  /** How many parents are followed: enough for a library's parent and the organisation's parent above it. */
  public static final int MAX_PARENT_DEPTH = 5;
  /** Made once: finding the JDK's parser is a service lookup, and a build reads a POM per library. */
  private static final DocumentBuilderFactory FACTORY = safeFactory();

  private PomLicenses() {}

  /**
   * @param pom the library's POM file
   * @param pomOfCoordinates finds the POM of {@code groupId:artifactId:version}, for the parents; empty when
   *     it is not at hand
   */
  public static List<String> of(Path pom, Function<String, Optional<Path>> pomOfCoordinates) {
    Set<String> visited = new HashSet<>();
    Path current = pom;
    for (int parents = 0; ; parents++) {
      Optional<Element> project = parse(current);
      if (project.isEmpty()) {
        return List.of();
      }
      List<String> licenses = licenses(project.get());
      if (!licenses.isEmpty() || parents == MAX_PARENT_DEPTH) {
        return licenses;
      }
      current = parentCoordinates(project.get()).filter(visited::add).flatMap(c -> find(pomOfCoordinates, c))
          .orElse(null);
      if (current == null) {
        return List.of();
      }
    }
  }

  private static Optional<Path> find(Function<String, Optional<Path>> pomOfCoordinates, String coordinates) {
    try {
      Optional<Path> found = pomOfCoordinates.apply(coordinates);
      return found == null ? Optional.empty() : found;
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static List<String> licenses(Element project) {
    Set<String> licenses = new LinkedHashSet<>();
    Element list = child(project, "licenses");
    if (list == null) {
      return List.of();
    }
    for (Element license : children(list, "license")) {
      String name = text(child(license, "name"));
      String declared = name.isEmpty() ? text(child(license, "url")) : name;
      if (!declared.isEmpty()) {
        licenses.add(SpdxLicenses.idOf(declared).orElse(declared));
      }
    }
    return List.copyOf(licenses);
  }

  private static Optional<String> parentCoordinates(Element project) {
    Element parent = child(project, "parent");
    if (parent == null) {
      return Optional.empty();
    }
    String groupId = text(child(parent, "groupId"));
    String artifactId = text(child(parent, "artifactId"));
    String version = text(child(parent, "version"));
    if (groupId.isEmpty() || artifactId.isEmpty() || version.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(groupId + ":" + artifactId + ":" + version);
  }

  private static Optional<Element> parse(Path pom) {
    if (pom == null || !Files.isRegularFile(pom)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(pom)) {
      DocumentBuilder builder;
      synchronized (FACTORY) { // a factory is not thread-safe; the builder it makes is this call's own
        builder = FACTORY.newDocumentBuilder();
      }
      // the JDK's default handler prints to the console; a broken POM only means no licenses
      builder.setErrorHandler(new DefaultHandler() {
        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }
      });
      Element root = builder.parse(in).getDocumentElement();
      return "project".equals(localName(root)) ? Optional.of(root) : Optional.empty();
    } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A parser that refuses any DOCTYPE and so any entity, and reads nothing but the file it is given. */
  private static DocumentBuilderFactory safeFactory() {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    try {
      configure(factory);
    } catch (ParserConfigurationException e) {
      // the JDK's parser supports every one of these; one that does not fails loudly rather than read unsafely
      throw new IllegalStateException("the XML parser cannot refuse DOCTYPEs: " + e.getMessage(), e);
    }
    return factory;
  }

  private static void configure(DocumentBuilderFactory factory) throws ParserConfigurationException {
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && name.equals(localName(element))) {
        found.add(element);
      }
    }
    return found;
  }

  private static String localName(Element element) {
    return element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
  }

  private static String text(Element element) {
    return element == null ? "" : element.getTextContent().trim().replaceAll("\\s+", " ");
  }
}
