package io.github.multiarch.maven;

import io.github.multiarch.build.GitRevision;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.model.License;
import org.apache.maven.project.MavenProject;

/** The standard {@code org.opencontainers.image.*} annotations, filled from the POM. */
final class PomAnnotations {
  static final String PREFIX = "org.opencontainers.image.";

  private PomAnnotations() {}

  static Map<String, String> of(MavenProject project, Instant created) {
    Map<String, String> annotations = new LinkedHashMap<>();
    String name = project.getName() != null && !project.getName().isBlank() ? project.getName()
        : project.getArtifactId();
    put(annotations, "title", name);
    put(annotations, "description", project.getDescription());
    put(annotations, "version", project.getVersion());
    GitRevision.of(project.getBasedir().toPath()).ifPresent(rev -> put(annotations, "revision", rev));
    if (project.getScm() != null) {
      put(annotations, "source", project.getScm().getUrl());
    }
    put(annotations, "url", project.getUrl());
    List<License> licenses = project.getLicenses();
    if (licenses != null && !licenses.isEmpty()) {
      // Maven lists licenses a user may choose between; SPDX writes that as OR
      put(annotations, "licenses", licenses.stream().map(License::getName).filter(n -> n != null && !n.isBlank())
          .collect(Collectors.joining(" OR ")));
    }
    if (project.getOrganization() != null) {
      put(annotations, "vendor", project.getOrganization().getName());
    }
    if (created != null) {
      put(annotations, "created", DateTimeFormatter.ISO_INSTANT.format(created));
    }
    return annotations;
  }

  private static void put(Map<String, String> annotations, String key, String value) {
    if (value != null && !value.isBlank()) {
      annotations.put(PREFIX + key, value.trim().replaceAll("\\s+", " "));
    }
  }
}
