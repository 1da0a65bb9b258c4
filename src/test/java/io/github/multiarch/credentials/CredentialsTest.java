package io.github.multiarch.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.Credential;
import io.github.multiarch.registry.LayoutPusher;
import io.github.multiarch.registry.PushRequest;
import io.github.multiarch.registry.PushResult;
import io.github.multiarch.registry.RegistryClient;
import io.github.multiarch.registry.RegistryException;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where credentials come from, in order, and that what is found works against a real registry with
 * htpasswd basic auth.
 */
class CredentialsTest {
  static final String USER = "carol";
  static final String PASSWORD = "Car0ls-Pw-3m1n";

  @TempDir
  static Path shared;
  static TestRegistry registry;
  static BuildResult built;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("credentials").basicAuth(USER, PASSWORD).start();
    built = TestImages.build(shared.resolve("image"), "1.0", List.of("linux/amd64"), "credentials", 0);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static String auth(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A Docker config.json (or podman auth.json) with one {@code auths} entry. */
  static Path authFile(Path file, String host, String user, String password) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "{\n  \"auths\": {\n    \"" + host + "\": {\n      \"auth\": \""
        + auth(user, password) + "\"\n    }\n  }\n}\n");
  }

  static PushResult push(Credential credential, String repository) {
    CollectingLog log = new CollectingLog();
    RegistryClient client = new RegistryClient(registry.host(), credential, registry.options(), log);
    return new LayoutPusher(client, log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", registry.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
  }

  /** The sources in the order the push goal uses, minus Maven's settings. */
  List<CredentialSource> sources(String username, String password, Map<String, String> env, Path home) {
    List<CredentialSource> sources = new ArrayList<>();
    sources.add(Credentials.explicit(username, password, "the POM"));
    sources.add(Credentials.environment(env));
    sources.addAll(Credentials.dockerConfigs(env, home));
    sources.addAll(Credentials.podmanAuthFiles(env, home));
    return sources;
  }

  @Test
  void explicitBeatsEnvironmentBeatsDockerConfig() throws IOException {
    Path dockerDir = tmp.resolve("docker");
    authFile(dockerDir.resolve("config.json"), registry.host(), "from-docker", "docker-pw");
    Path home = Files.createDirectories(tmp.resolve("home"));
    Map<String, String> env = Map.of("DOCKER_CONFIG", dockerDir.toString(),
        Credentials.ENV_USERNAME, "from-env", Credentials.ENV_PASSWORD, "env-pw");

    Credential explicit = Credentials.resolve(registry.host(), sources("from-pom", "pom-pw", env, home)).orElseThrow();
    assertEquals("from-pom", explicit.username());
    assertEquals("the POM", explicit.source());

    Credential fromEnv = Credentials.resolve(registry.host(), sources(null, null, env, home)).orElseThrow();
    assertEquals("from-env", fromEnv.username());
    assertEquals("env-pw", fromEnv.secret());
    assertTrue(fromEnv.source().contains(Credentials.ENV_USERNAME), fromEnv.source());

    Credential fromDocker = Credentials.resolve(registry.host(),
        sources(null, null, Map.of("DOCKER_CONFIG", dockerDir.toString()), home)).orElseThrow();
    assertEquals("from-docker", fromDocker.username());
    assertEquals("docker-pw", fromDocker.secret());
    assertTrue(fromDocker.source().contains(dockerDir.resolve("config.json").toString()), fromDocker.source());

    assertEquals(Optional.empty(), Credentials.resolve(registry.host(), sources(null, null, Map.of(), home)),
        "nothing configured: anonymous");
  }

  @Test
  void aDockerConfigAuthsEntryIsReadAndWorks() throws IOException {
    Path dockerDir = tmp.resolve("docker");
    Path config = authFile(dockerDir.resolve("config.json"), registry.host(), USER, PASSWORD);
    Credential found = Credentials.resolve(registry.host(),
        Credentials.dockerConfigs(Map.of("DOCKER_CONFIG", dockerDir.toString()), tmp.resolve("home"))).orElseThrow();
    assertEquals(USER, found.username());
    assertEquals(PASSWORD, found.secret());
    assertEquals("Docker config " + config, found.source());
    assertFalse(found.toString().contains(PASSWORD));

    PushResult result = push(found, "multiarch-test/from-docker-config");
    assertEquals(built.index().digest(), result.index().digest());
  }

  @Test
  void theDockerConfigInTheHomeDirectoryIsReadWithoutDockerConfigSet() throws IOException {
    Path home = tmp.resolve("home");
    Path config = authFile(home.resolve(".docker/config.json"), registry.host(), USER, PASSWORD);
    Credential found = Credentials.resolve(registry.host(), Credentials.dockerConfigs(Map.of(), home)).orElseThrow();
    assertEquals(USER, found.username());
    assertEquals("Docker config " + config, found.source());
  }

  @Test
  void anEntryForAnotherRegistryIsNotUsed() throws IOException {
    Path dockerDir = tmp.resolve("docker");
    authFile(dockerDir.resolve("config.json"), "registry.example.com", USER, PASSWORD);
    assertEquals(Optional.empty(), Credentials.resolve(registry.host(),
        Credentials.dockerConfigs(Map.of("DOCKER_CONFIG", dockerDir.toString()), tmp.resolve("home"))));
  }

  @Test
  void aPodmanAuthFileFromRegistryAuthFileIsReadAndWorks() throws IOException {
    Path file = authFile(tmp.resolve("podman/auth.json"), registry.host(), USER, PASSWORD);
    Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", file.toString());
    Credential found = Credentials.resolve(registry.host(), sources(null, null, env, tmp.resolve("home")))
        .orElseThrow();
    assertEquals(USER, found.username());
    assertEquals("podman auth file " + file, found.source());
    PushResult result = push(found, "multiarch-test/from-podman-auth");
    assertEquals(built.index().digest(), result.index().digest());
  }

  @Test
  void aWrongPasswordFromAConfigFileNamesTheFile() throws IOException {
    Path dockerDir = tmp.resolve("docker");
    Path config = authFile(dockerDir.resolve("config.json"), registry.host(), USER, "not-" + PASSWORD);
    Credential found = Credentials.resolve(registry.host(),
        Credentials.dockerConfigs(Map.of("DOCKER_CONFIG", dockerDir.toString()), tmp.resolve("home"))).orElseThrow();
    RegistryException e = assertThrows(RegistryException.class, () -> push(found, "multiarch-test/wrong-config"));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("Docker config " + config), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void aMalformedConfigJsonIsAnErrorNamingTheFile() throws IOException {
    Path dockerDir = Files.createDirectories(tmp.resolve("docker"));
    Path config = Files.writeString(dockerDir.resolve("config.json"), "{\"auths\": {\"" + registry.host()
        + "\": {\"auth\": \"" + auth(USER, PASSWORD) + "\"}");
    List<CredentialSource> sources = Credentials.dockerConfigs(Map.of("DOCKER_CONFIG", dockerDir.toString()),
        tmp.resolve("home"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Credentials.resolve(registry.host(), sources));
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
    assertFalse(e.getMessage().contains(auth(USER, PASSWORD)), e.getMessage());
    assertEquals("credentials", e.parameter());
  }

  @Test
  void aConfigJsonThatIsNotAnObjectIsAnErrorButAnEmptyOneIsNoCredentials() throws IOException {
    Path dockerDir = Files.createDirectories(tmp.resolve("docker"));
    Path config = Files.writeString(dockerDir.resolve("config.json"), "[\"auths\"]\n");
    Map<String, String> env = Map.of("DOCKER_CONFIG", dockerDir.toString());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Credentials.resolve(registry.host(), Credentials.dockerConfigs(env, tmp.resolve("home"))));
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());

    Files.writeString(config, "");
    assertEquals(Optional.empty(), Credentials.resolve(registry.host(),
        Credentials.dockerConfigs(env, tmp.resolve("home"))));
  }

  @Test
  void aUsernameWithoutAPasswordIsAnError() {
    InvalidInputException explicit = assertThrows(InvalidInputException.class,
        () -> Credentials.resolve(registry.host(), List.of(Credentials.explicit(USER, null, "the POM"))));
    assertTrue(explicit.getMessage().contains("a username but no password"), explicit.getMessage());
    assertTrue(explicit.getMessage().contains("the POM"), explicit.getMessage());

    InvalidInputException env = assertThrows(InvalidInputException.class, () -> Credentials.resolve(
        registry.host(), List.of(Credentials.environment(Map.of(Credentials.ENV_USERNAME, USER)))));
    assertTrue(env.getMessage().contains(Credentials.ENV_PASSWORD), env.getMessage());

    InvalidInputException passwordOnly = assertThrows(InvalidInputException.class,
        () -> Credentials.resolve(registry.host(), List.of(Credentials.explicit(" ", PASSWORD, "the POM"))));
    assertTrue(passwordOnly.getMessage().contains("a password but no username"), passwordOnly.getMessage());
    assertFalse(passwordOnly.getMessage().contains(PASSWORD));
  }
}
