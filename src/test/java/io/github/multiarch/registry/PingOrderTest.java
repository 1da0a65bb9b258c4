package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TcpRelay;
import io.github.multiarch.testing.TestRegistry;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which scheme a ping tries first: a host opted in to insecure access with an explicit port is asked over
 * plain HTTP first (a port speaks one protocol), so a plain registry costs no failed TLS handshake, and a
 * TLS one is still found; secure hosts never see plain HTTP.
 */
class PingOrderTest {
  @Test
  void candidatesFollowTheOptInAndThePort() {
    assertEquals(List.of(URI.create("https://registry.example.com:5000/v2/")),
        RegistryClient.pingCandidates("registry.example.com:5000", false));
    assertEquals(List.of(URI.create("http://localhost:5000/v2/"), URI.create("https://localhost:5000/v2/")),
        RegistryClient.pingCandidates("localhost:5000", true));
    // without a port, 443 and 80 may be different servers: HTTPS keeps precedence
    assertEquals(List.of(URI.create("https://registry.example.com/v2/"), URI.create("http://registry.example.com/v2/")),
        RegistryClient.pingCandidates("registry.example.com", true));
  }

  @Test
  void anOptedInPlainRegistryIsReachedWithoutATlsHandshake() {
    try (TestRegistry registry = TestRegistry.builder("ping-plain").start();
        TcpRelay relay = TcpRelay.start(registry.host())) {
      RegistryOptions options = registry.options().withInsecureRegistries(Set.of(relay.host()));
      new RegistryClient(relay.host(), null, options, new CollectingLog()).ping();
      assertTrue(relay.sawPlainHttp());
      assertFalse(relay.openings().stream().anyMatch(b -> b.length >= 2 && b[0] == 0x16 && b[1] == 0x03),
          "no connection may start with a TLS handshake");
    }
  }

  @Test
  void anOptedInTlsRegistryIsStillReachedOverTls() {
    try (TestRegistry registry = TestRegistry.builder("ping-tls").tls().start();
        TcpRelay relay = TcpRelay.start(registry.host())) {
      RegistryOptions options = RegistryOptions.defaults().withInsecureRegistries(Set.of(relay.host()));
      RegistryClient client = new RegistryClient(relay.host(), null, options, new CollectingLog());
      client.ping();
      assertTrue(relay.openings().stream().anyMatch(b -> b.length >= 2 && b[0] == 0x16 && b[1] == 0x03),
          "the registry speaks TLS, so the client ends up there");
      // and it works: a manifest that is not there is a plain 404, not a protocol error
      assertTrue(client.getManifest("multiarch-test/nothing", "1.0").isEmpty());
    }
  }
}
