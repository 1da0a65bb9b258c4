package io.github.multiarch.credentials;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.Credential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where registry credentials come from, first match wins: explicit values, environment variables, Maven
 * settings (added by the Maven adapter), Docker's {@code config.json} ({@code auths}, {@code credsStore},
 * {@code credHelpers}), podman's {@code auth.json}; else anonymous.
 */
public final class Credentials {
  public static final String ENV_USERNAME = "MULTIARCH_REGISTRY_USERNAME";
  public static final String ENV_PASSWORD = "MULTIARCH_REGISTRY_PASSWORD";

  /**
   * Reads config files as leniently as jib-core and Docker do (comments allowed). Made when a config file
   * is there, not before: most builds have none, and a mapper costs start-up time.
   */
  private static final class ConfigReader {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);
  }

  private Credentials() {}

  public static Optional<Credential> resolve(String registry, List<CredentialSource> sources) {
    for (CredentialSource source : sources) {
      Optional<Credential> found = source.find(registry);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** A user name and password given together (e.g. by environment variables); used for every registry. */
  public static CredentialSource explicit(String username, String password, String origin) {
    return registry -> {
      if (isBlank(username) && isBlank(password)) {
        return Optional.empty();
      }
      if (isBlank(username) || isBlank(password)) {
        throw new InvalidInputException("credentials", origin + " gives " + (isBlank(username) ? "a password but no "
            + "username" : "a username but no password") + "; give both, or neither");
      }
      return Optional.of(new Credential(username, password, origin));
    };
  }

  /** {@value #ENV_USERNAME} and {@value #ENV_PASSWORD}. */
  public static CredentialSource environment(Map<String, String> env) {
    return explicit(env.get(ENV_USERNAME), env.get(ENV_PASSWORD),
        "the environment variables " + ENV_USERNAME + "/" + ENV_PASSWORD);
  }

  /** A Docker {@code config.json} or podman {@code auth.json} (the same format), read with jib-core. */
  public static CredentialSource dockerConfig(Path file, String kind) {
    return registry -> {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      // jib-core only logs a file it cannot parse and goes on without credentials: say so instead
      checkJson(file, kind, registry);
      try {
        Optional<com.google.cloud.tools.jib.api.Credential> found = CredentialRetrieverFactory
            .forImage(ImageReference.of(registry, "library/image", null), event -> { })
            .dockerConfig(file).retrieve();
        return found.map(c -> new Credential(c.getUsername(), c.getPassword(), kind + " " + file));
      } catch (Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
            .orElse("");
        throw new InvalidInputException("credentials", "cannot read credentials for " + registry + " from " + kind
            + " " + file + ": " + reason, e);
      }
    };
  }

  /**
   * Fails naming the file when it is not a JSON object. The message gives the position only: the parser's
   * own message may quote the file, and with it a secret.
   */
  private static void checkJson(Path file, String kind, String registry) {
    JsonNode root;
    try {
      root = ConfigReader.MAPPER.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidInputException("credentials", "cannot read credentials for " + registry + " from " + kind + " "
          + file + ": not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")") + "; fix or remove the file");
    } catch (IOException e) {
      throw new InvalidInputException("credentials", "cannot read " + kind + " " + file + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      return; // an empty file, as `touch` leaves it: Docker reads it as no credentials, and so does jib-core
    }
    if (!root.isObject()) {
      throw new InvalidInputException("credentials", "cannot read credentials for " + registry + " from " + kind + " "
          + file + ": expected a JSON object; fix or remove the file");
    }
  }

  /** Docker's config files: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
  public static List<CredentialSource> dockerConfigs(Map<String, String> env, Path home) {
    List<CredentialSource> sources = new ArrayList<>();
    if (!isBlank(env.get("DOCKER_CONFIG"))) {
      sources.add(dockerConfig(Path.of(env.get("DOCKER_CONFIG")).resolve("config.json"), "Docker config"));
    } else {
      sources.add(dockerConfig(home.resolve(".docker/config.json"), "Docker config"));
    }
    return sources;
  }

  /**
   * podman's auth files: {@code $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json},
   * {@code ~/.config/containers/auth.json}.
   */
  public static List<CredentialSource> podmanAuthFiles(Map<String, String> env, Path home) {
    List<CredentialSource> sources = new ArrayList<>();
    if (!isBlank(env.get("REGISTRY_AUTH_FILE"))) {
      sources.add(dockerConfig(Path.of(env.get("REGISTRY_AUTH_FILE")), "podman auth file"));
    }
    if (!isBlank(env.get("XDG_RUNTIME_DIR"))) {
      sources.add(dockerConfig(Path.of(env.get("XDG_RUNTIME_DIR")).resolve("containers/auth.json"),
          "podman auth file"));
    }
    sources.add(dockerConfig(home.resolve(".config/containers/auth.json"), "podman auth file"));
    return sources;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
