package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.multiarch.build.BuildResult;
import io.github.multiarch.oci.ImageName;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TcpRelay;
import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that speaks plain HTTP without the user's consent, and one that is not there at all. */
class ConnectionFailureTest {
  @TempDir
  static Path tmp;
  static TestRegistry registry;
  static BuildResult built;

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder("plain-refused").start();
    built = TestImages.build(tmp.resolve("image"), "1.0", List.of("linux/amd64", "linux/arm64"), "refused", 0);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  static PushRequest request(String host, String repository) {
    return new PushRequest(built.layout(), null, ImageName.parse("image", host + "/" + repository), List.of("1.0"),
        null, Map.of(), 2);
  }

  static List<String> catalog() throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(registry.baseUrl() + "/v2/_catalog")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    JsonNode repositories = new ObjectMapper().readTree(response.body()).path("repositories");
    return java.util.stream.StreamSupport.stream(repositories.spliterator(), false).map(JsonNode::asText).toList();
  }

  @Test
  void plainHttpIsRefusedUnlessTheHostIsOptedIn() throws Exception {
    // a TCP relay in front of the registry sees how every connection starts
    try (TcpRelay relay = TcpRelay.start(registry.host())) {
      CollectingLog log = new CollectingLog();
      RegistryOptions notOptedIn = registry.options().withInsecureRegistries(Set.of("elsewhere.example:5000"));
      RegistryClient client = new RegistryClient(relay.host(), null, notOptedIn, log);
      RegistryException e = assertThrows(RegistryException.class,
          () -> new LayoutPusher(client, log).push(request(relay.host(), "multiarch-test/refused")));
      assertTrue(e.getMessage().contains("insecureRegistries"), e.getMessage());
      assertTrue(e.getMessage().contains("caCertificates"), e.getMessage());
      assertTrue(e.getMessage().contains(relay.host()), e.getMessage());
      assertFalse(relay.openings().isEmpty(), "the client tried TLS");
      assertTrue(relay.onlyTls(), "every connection must start with a TLS handshake");
      assertFalse(relay.sawPlainHttp(), "not a single plain HTTP request may be sent");
    }
    assertFalse(catalog().contains("multiarch-test/refused"), "nothing was pushed");

    // the same push, opted in, goes through: the refusal was the opt-in's doing
    RegistryClient optedIn = new RegistryClient(registry.host(), null, registry.options(), new CollectingLog());
    new LayoutPusher(optedIn, new CollectingLog()).push(request(registry.host(), "multiarch-test/accepted"));
    assertTrue(catalog().contains("multiarch-test/accepted"));
  }

  @Test
  void aRegistryThatIsNotThereFailsWithCannotConnect() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    String host = "127.0.0.1:" + port;
    for (RegistryOptions options : List.of(RegistryOptions.defaults(),
        registry.options().withInsecureRegistries(Set.of(host)))) {
      RegistryClient client = new RegistryClient(host, null, options, new CollectingLog());
      RegistryException ping = assertThrows(RegistryException.class, client::ping);
      assertTrue(ping.getMessage().startsWith("cannot connect to " + host), ping.getMessage());
      assertEquals(-1, ping.status());

      RegistryException push = assertThrows(RegistryException.class,
          () -> new LayoutPusher(new RegistryClient(host, null, options, new CollectingLog()), new CollectingLog())
              .push(request(host, "multiarch-test/nowhere")));
      assertTrue(push.getMessage().startsWith("cannot connect to " + host), push.getMessage());
    }
  }

  /**
   * How the JDK's client reports a host name that does not resolve, and a refused connection (no DNS query
   * is made here: tests send traffic to loopback only).
   */
  @Test
  void anUnknownHostIsToldApartFromARefusedConnection() {
    java.net.ConnectException unknown = new java.net.ConnectException();
    unknown.initCause(new java.nio.channels.UnresolvedAddressException());
    assertEquals("unknown host: registry.example.invalid does not resolve (check the host name, the machine's DNS, "
        + "or the proxy settings)", RegistryClient.connectFailure(unknown, "registry.example.invalid"));
    java.net.ConnectException refused = new java.net.ConnectException();
    refused.initCause(new java.nio.channels.ClosedChannelException());
    assertTrue(RegistryClient.connectFailure(refused, "127.0.0.1").startsWith("connection refused"));
  }

  @Test
  void insecureRegistriesTakeAUrlAsItsHostAndRefuseWhatIsNoHost() {
    RegistryOptions options = RegistryOptions.defaults().withInsecureRegistries(
        new java.util.LinkedHashSet<>(List.of("http://localhost:5000/", " HTTPS://registry.internal:8443/v2/ ",
            "plain.example")));
    assertEquals(Set.of("localhost:5000", "registry.internal:8443", "plain.example"), options.insecureRegistries());
    assertTrue(options.isInsecure("localhost:5000"));
    for (String bad : List.of("", "http://", "local host:5000", "ftp://x")) {
      io.github.multiarch.oci.InvalidInputException e = assertThrows(io.github.multiarch.oci.InvalidInputException.class,
          () -> RegistryOptions.defaults().withInsecureRegistries(Set.of(bad)), bad);
      assertEquals("insecureRegistries", e.parameter());
      assertTrue(e.getMessage().contains("write host or host:port"), e.getMessage());
    }
  }

  @Test
  void aRegistryThatNeverAnswersFailsWithTheConnectTimeout() throws IOException {
    // the kernel accepts the connection into the backlog, nobody ever answers the TLS handshake
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      String host = "127.0.0.1:" + silent.getLocalPort();
      RegistryOptions defaults = RegistryOptions.defaults();
      RegistryOptions options = new RegistryOptions(Set.of(), List.of(), defaults.chunkSize(),
          defaults.monolithicLimit(), 1, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(120),
          java.time.Duration.ofSeconds(1), null);
      RegistryException e = assertThrows(RegistryException.class,
          () -> new RegistryClient(host, null, options, new CollectingLog()).ping());
      assertTrue(e.getMessage().startsWith("cannot connect to " + host), e.getMessage());
      assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
    }
  }
}
