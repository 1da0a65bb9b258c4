package io.github.multiarch.supply;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.OciJson;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the provenance of one platform's image: an in-toto Statement v1
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md) whose predicate is SLSA Provenance v1
 * (https://slsa.dev/spec/v1.0/provenance). The same input gives the same bytes: the times are the build's
 * reproducible timestamp and lists are sorted.
 *
 * <p>The build type {@value #BUILD_TYPE} means: the plugin built this image from the project in
 * {@code externalParameters.project}, for {@code externalParameters.platform}, to be pushed as
 * {@code externalParameters.image} with {@code externalParameters.tags}; {@code internalParameters} names the
 * build tool and JDK it ran on, which do not change the image but help to reproduce the build;
 * {@code resolvedDependencies} lists the base images (by manifest digest) and the source commit. Any change to
 * what these fields mean gets a new version of the URI (SLSA: "buildType ... SHOULD resolve to ... documentation",
 * https://slsa.dev/spec/v1.0/provenance#buildType).
 */
public final class SlsaProvenance {
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://github.com/multiarch/multiarch-maven-plugin/build/v1";
  /** The builder's id names this plugin at a version: the same version builds the same way. */
  public static final String BUILDER_ID_PREFIX = "https://github.com/multiarch/multiarch-maven-plugin@";
  public static final String MEDIA_TYPE = "application/vnd.in-toto+json";

  /** {@code user@host:path}, the scp-like form git accepts for ssh remotes. */
  private static final Pattern SCP_LIKE = Pattern.compile("([^@/:]+@)?([^/:]+):(?!//)(.+)");

  private SlsaProvenance() {}

  public static byte[] write(ProvenanceInput input) {
    ObjectNode statement = OciJson.object();
    statement.put("_type", STATEMENT_TYPE);
    ObjectNode subject = statement.putArray("subject").addObject();
    subject.put("name", input.imageName());
    digestSet(subject.putObject("digest"), input.manifestDigest());
    statement.put("predicateType", PREDICATE_TYPE);

    ObjectNode predicate = statement.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    ObjectNode project = external.putObject("project");
    project.put("groupId", input.project().groupId());
    project.put("artifactId", input.project().artifactId());
    project.put("version", input.project().version());
    external.put("image", input.imageName());
    ArrayNode tags = external.putArray("tags");
    input.tags().forEach(tags::add);
    external.put("platform", input.platform().toString());

    ObjectNode internal = definition.putObject("internalParameters");
    ObjectNode buildTool = internal.putObject("buildTool");
    buildTool.put("name", input.buildTool().name());
    buildTool.put("version", input.buildTool().version());
    ObjectNode jdk = internal.putObject("jdk");
    jdk.put("version", input.jdk().version());
    if (input.jdk().vendor() != null) {
      jdk.put("vendor", input.jdk().vendor());
    }

    ArrayNode resolved = definition.putArray("resolvedDependencies");
    input.baseImages().stream().distinct()
        .sorted(Comparator.comparing(PinnedImage::name).thenComparing(PinnedImage::digest))
        .forEach(base -> {
          ObjectNode dependency = resolved.addObject();
          // the name as configured, as the image's org.opencontainers.image.base.name annotation gives it
          dependency.put("uri", "oci://" + base.name().trim());
          digestSet(dependency.putObject("digest"), base.digest());
        });
    if (input.source() != null) {
      ObjectNode dependency = resolved.addObject();
      dependency.put("uri", "git+" + sourceUri(input.source().location()));
      if (input.source().commit() != null) {
        dependency.putObject("digest").put("gitCommit", input.source().commit());
      }
    }

    ObjectNode run = predicate.putObject("runDetails");
    run.putObject("builder").put("id", BUILDER_ID_PREFIX + input.builder().version());
    ObjectNode metadata = run.putObject("metadata");
    if (input.invocationId() != null) {
      metadata.put("invocationId", input.invocationId());
    }
    String time = DateTimeFormatter.ISO_INSTANT.format(input.buildTime().truncatedTo(ChronoUnit.SECONDS));
    metadata.put("startedOn", time);
    metadata.put("finishedOn", time);
    return OciJson.toBytes(statement);
  }

  /** {@code {"sha256": hex}}: an in-toto DigestSet (spec/v1/digest_set.md) names the algorithm as the key. */
  private static void digestSet(ObjectNode node, Digest digest) {
    node.put(digest.algorithm(), digest.hex());
  }

  /**
   * The source's URI: a remote URL without the user name or token it may carry (provenance is published), an
   * scp-like remote as the ssh URL it stands for, a directory as a file URI.
   */
  static String sourceUri(String location) {
    String trimmed = location.trim();
    if (trimmed.contains("://")) {
      try {
        URI uri = new URI(trimmed);
        if (uri.getHost() == null) {
          return uri.toString();
        }
        return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
      } catch (URISyntaxException e) {
        return trimmed.replaceFirst("://[^/@]*@", "://");
      }
    }
    Matcher scp = SCP_LIKE.matcher(trimmed);
    if (scp.matches() && !isWindowsDrive(trimmed)) {
      String path = scp.group(3);
      return "ssh://" + scp.group(2) + (path.startsWith("/") ? "" : "/") + path;
    }
    return Path.of(trimmed).toAbsolutePath().normalize().toUri().toString();
  }

  private static boolean isWindowsDrive(String location) {
    return location.length() > 2 && Character.isLetter(location.charAt(0)) && location.charAt(1) == ':'
        && (location.charAt(2) == '\\' || location.charAt(2) == '/');
  }
}
