package io.github.multiarch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Digest;
import io.github.multiarch.testing.CollectingLog;
import io.github.multiarch.testing.TestRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * What a client costs beyond its requests: its selector thread must end when the goal closes it (a thread
 * left blocked in the selector holds the JVM's exit back by 0.3 s), and the JDK's trust store must only be
 * read when a TLS handshake needs it.
 */
class ClientLifecycleTest {

  @Test
  void closeEndsTheSelectorThreadOfTheClient() throws Exception {
    try (TestRegistry registry = TestRegistry.startDefault("lifecycle")) {
      List<Thread> before = selectorThreads();
      RegistryClient client = new RegistryClient(registry.host(), registry.credential("test"), registry.options(),
          new CollectingLog());
      client.ping();
      List<Thread> made = selectorThreads().stream().filter(t -> !before.contains(t)).toList();
      assertEquals(1, made.size(), "one selector thread per client, found " + made);
      Thread selector = made.get(0);
      assertTrue(selector.isAlive());

      client.close();
      selector.join(10_000);
      assertFalse(selector.isAlive(), selector.getName() + " still runs after close()");
      client.close(); // twice is harmless
    }
  }

  @Test
  void closingOneClientLeavesTheOthersWorking() throws Exception {
    try (TestRegistry registry = TestRegistry.startDefault("lifecycle-two")) {
      RegistryClient first = new RegistryClient(registry.host(), registry.credential("test"), registry.options(),
          new CollectingLog());
      RegistryClient second = new RegistryClient(registry.host(), registry.credential("test"), registry.options(),
          new CollectingLog());
      first.ping();
      first.close();
      second.ping();
      assertFalse(second.blobExists(registry.repository("none"), Digest.parse("sha256:" + "0".repeat(64))));
      second.close();
    }
  }

  @Test
  void theJdkTrustStoreIsReadAtTheFirstHandshakeOnly() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    Supplier<X509ExtendedTrustManager> jdkTrust = () -> {
      reads.incrementAndGet();
      return HttpClients.jdkTrust();
    };
    try (TestRegistry plain = TestRegistry.builder("lifecycle-plain").start();
        TestRegistry tls = TestRegistry.builder("lifecycle-tls").tls().start()) {
      HttpClient http = HttpClients.create(plain.host(), RegistryOptions.defaults()
          .withInsecureRegistries(Set.of(plain.host())), jdkTrust);
      assertEquals(200, get(http, "http://" + plain.host() + "/v2/"));
      assertEquals(0, reads.get(), "a plain-HTTP request read the JDK's trust store");

      // the test registry's certificate is self-signed: verified against the JDK's CAs, it is refused
      for (int i = 0; i < 2; i++) {
        IOException refused = assertThrows(IOException.class, () -> get(http, "https://" + tls.host() + "/v2/"));
        assertTrue(refused instanceof SSLHandshakeException || refused.getCause() instanceof SSLHandshakeException,
            "expected a failed handshake, got " + refused);
      }
      assertEquals(1, reads.get(), "the trust store is read once, at the first handshake");
      HttpClients.shutdown(http);
    }
  }

  private static int get(HttpClient http, String uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static List<Thread> selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().matches("HttpClient-\\d+-SelectorManager") && t.isAlive())
        .toList();
  }
}
