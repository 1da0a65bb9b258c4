package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.build.BuildResult;
import io.github.multiarch.layout.OciLayout;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.oci.OciJson;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry over TLS with a self-signed certificate and htpasswd basic auth. */
class TlsBasicAuthTest {
  static final String USER = "alice";
  static final String PASSWORD = "Pw-0f-Alice-7q2x";
  static final String WRONG_PASSWORD = "Not-Alices-Pw-9k4z";
  static final String SOURCE = "settings.xml <server> 'x'";

  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static BuildResult built;
  final CollectingLog log = new CollectingLog();
  final List<Throwable> failures = new ArrayList<>();

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("tls-basic").tls().basicAuth(USER, PASSWORD).start();
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm/v7"), "tls", 0);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  /** Whatever happened, no secret may show in the log or in a message. */
  @AfterEach
  void neverShowsAPassword() {
    for (String secret : List.of(PASSWORD, WRONG_PASSWORD, base64(USER + ":" + PASSWORD),
        base64(USER + ":" + WRONG_PASSWORD))) {
      assertFalse(log.text().contains(secret), "the log shows a secret:\n" + log.text());
      for (Throwable failure : failures) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
          assertFalse(String.valueOf(t.getMessage()).contains(secret), "a message shows a secret: " + t);
          assertFalse(t.toString().contains(secret), "a message shows a secret: " + t);
        }
      }
    }
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  PushResult push(String repository, Credential credential, RegistryOptions options) {
    RegistryClient client = new RegistryClient(registry.host(), credential, options, log);
    return new LayoutPusher(client, log).push(new PushRequest(built.layout(), null,
        ImageName.parse("image", registry.host() + "/" + repository), List.of("1.0"), null, Map.of(), 2));
  }

  RegistryClient goodClient() {
    return new RegistryClient(registry.host(), registry.credential("test"), registry.options(), log);
  }

  @Test
  void pushesOverTlsWithTheTestCaAndTheRightPassword() {
    PushResult result = push("multiarch-test/tls-ok", new Credential(USER, PASSWORD, SOURCE), registry.options());
    assertEquals(built.index().digest(), result.index().digest());
    assertEquals(5, result.uploaded(), "shared layer, 2 platform layers, 2 configs");

    byte[] index = OciLayout.open(built.layout()).readBlob(built.index(), OciJson.MAX_MANIFEST_BYTES);
    List<String> args = new ArrayList<>(List.of("inspect", "--raw"));
    args.addAll(registry.skopeoOptions(""));
    args.add("docker://" + registry.host() + "/multiarch-test/tls-ok:1.0");
    assertArrayEquals(index, Tools.skopeo(args.toArray(String[]::new)).check().stdoutBytes());
    assertFalse(String.valueOf(new Credential(USER, PASSWORD, SOURCE)).contains(PASSWORD));
  }

  @Test
  void aWrongPasswordFailsWith401NamingWhereTheCredentialCameFrom() {
    RegistryException e = assertThrows(RegistryException.class,
        () -> push("multiarch-test/tls-wrong", new Credential(USER, WRONG_PASSWORD, SOURCE), registry.options()));
    failures.add(e);
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    assertFalse(goodClient().getManifest("multiarch-test/tls-wrong", "1.0").isPresent(), "the tag must not exist");
  }

  @Test
  void noCredentialsFailsWith401SayingSo() {
    RegistryException e = assertThrows(RegistryException.class,
        () -> push("multiarch-test/tls-anonymous", null, registry.options()));
    failures.add(e);
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("without credentials"), e.getMessage());
  }

  @Test
  void withoutTheCaTlsFailsPointingAtCaCertificates() {
    RegistryOptions withoutCa = registry.options().withCaCertificates(List.of());
    RegistryException e = assertThrows(RegistryException.class,
        () -> push("multiarch-test/tls-noca", new Credential(USER, PASSWORD, SOURCE), withoutCa));
    failures.add(e);
    assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    assertTrue(e.getMessage().contains(io.github.multiarch.oci.InvalidInputException.param("caCertificates")), e.getMessage());
    assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    assertFalse(goodClient().getManifest("multiarch-test/tls-noca", "1.0").isPresent(), "nothing was pushed");
  }

  @Test
  void aCaFileThatIsNotPemIsNamed() throws Exception {
    Path bogus = java.nio.file.Files.writeString(tmp.resolve("bogus.pem"), "not a certificate\n");
    RegistryOptions options = registry.options().withCaCertificates(List.of(bogus));
    io.github.multiarch.oci.InvalidInputException e = assertThrows(
        io.github.multiarch.oci.InvalidInputException.class,
        () -> new RegistryClient(registry.host(), null, options, log));
    failures.add(e);
    assertEquals("caCertificates", e.parameter());
    assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
  }
}
