package io.github.multiarch.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * A token service for a {@link TestRegistry} with {@code auth.token}: a JDK {@link HttpServer} on
 * {@code 127.0.0.1} that checks one user's basic credentials and answers with an RS256 JWT signed by a
 * self-signed certificate (sent in the {@code x5c} header; it is the registry's rootcertbundle). It grants
 * only what its policy allows of what was asked, and records every request so that tests can look at the
 * {@code scope} parameters and the credentials it received.
 */
public final class TokenServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request to the token endpoint. */
  public record TokenRequest(String service, List<String> scopes, String authorization, int status) {}

  private final HttpServer server;
  private final TestRegistry.Pem signer;
  private final PrivateKey key;
  private final String x5c;
  private final String username;
  private final String password;
  private final List<TokenRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> issued = Collections.synchronizedList(new ArrayList<>());
  private volatile BiFunction<String, String, Set<String>> policy;

  private TokenServer(HttpServer server, TestRegistry.Pem signer, String username, String password) {
    this.server = server;
    this.signer = signer;
    this.key = signer.key();
    try {
      this.x5c = Base64.getEncoder().encodeToString(signer.x509().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.username = username;
    this.password = password;
    this.policy = (user, repository) -> user == null ? Set.of() : Set.of("pull", "push");
  }

  /** Starts a token service for one user, who may pull and push everywhere until {@link #policy} says else. */
  public static TokenServer start(String name, String username, String password) {
    Path dir = TestRegistry.targetDirectory().resolve("test-registries/" + name + "-token-"
        + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    TestRegistry.Pem signer = TestRegistry.Pem.selfSigned(dir, "multiarch-test-token-signer");
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      TokenServer tokens = new TokenServer(server, signer, username, password);
      server.createContext("/token", tokens::handle);
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-server");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return tokens;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a user (null: anonymous) may do in a repository; the token carries the intersection with the ask. */
  public void policy(BiFunction<String, String, Set<String>> newPolicy) {
    this.policy = newPolicy;
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public TestRegistry.Pem signer() {
    return signer;
  }

  public List<TokenRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Every token handed out, so that tests can look for them where they must not be (logs). */
  public List<String> issuedTokens() {
    synchronized (issued) {
      return List.copyOf(issued);
    }
  }

  public void clearRequests() {
    requests.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String service = null;
      List<String> scopes = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (name.equals("scope")) {
            scopes.add(value);
          } else if (name.equals("service")) {
            service = value;
          }
        }
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String user = null;
      if (authorization != null) {
        String pair = authorization.startsWith("Basic ")
            ? new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8) : "";
        if (!pair.equals(username + ":" + password)) {
          requests.add(new TokenRequest(service, List.copyOf(scopes), authorization, 401));
          byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}"
              .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"multiarch-test-token\"");
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          return;
        }
        user = username;
      }
      requests.add(new TokenRequest(service, List.copyOf(scopes), authorization, 200));
      long now = Instant.now().getEpochSecond();
      ObjectNode claims = JSON.createObjectNode();
      claims.put("iss", TestRegistry.ISSUER);
      claims.put("sub", user == null ? "" : user);
      claims.put("aud", service == null ? TestRegistry.SERVICE : service);
      claims.put("exp", now + 300);
      claims.put("nbf", now - 10);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      ArrayNode access = claims.putArray("access");
      for (String scope : scopes) {
        // repository:NAME:ACTIONS (a NAME may hold a port-less host path but no ':')
        String[] parts = scope.split(":");
        if (parts.length != 3 || !parts[0].equals("repository")) {
          continue;
        }
        Set<String> granted = new LinkedHashSet<>();
        Set<String> allowed = policy.apply(user, parts[1]);
        for (String action : parts[2].split(",")) {
          if (allowed.contains(action)) {
            granted.add(action);
          }
        }
        ObjectNode entry = access.addObject();
        entry.put("type", "repository");
        entry.put("name", parts[1]);
        ArrayNode actions = entry.putArray("actions");
        granted.forEach(actions::add);
      }
      String token = sign(claims);
      issued.add(token);
      ObjectNode response = JSON.createObjectNode();
      response.put("token", token);
      response.put("access_token", token);
      response.put("expires_in", 300);
      response.put("issued_at", Instant.ofEpochSecond(now).toString());
      byte[] body = JSON.writeValueAsBytes(response);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private String sign(ObjectNode claims) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.putArray("x5c").add(x5c);
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String input = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + url.encodeToString(JSON.writeValueAsBytes(claims));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + url.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdownNow();
    }
  }
}
