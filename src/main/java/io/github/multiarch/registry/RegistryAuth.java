package io.github.multiarch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one registry wants to be authenticated, and the {@code Authorization} values that satisfy it: Basic
 * from the credential, or Bearer tokens fetched from the challenge's realm, one per scope, refreshed when
 * they expire or lack a scope ({@code insufficient_scope}). Whether a request may carry the value at all is
 * the transport's one rule ({@link RegistryTransport}).
 */
final class RegistryAuth {
  private final String registry;
  private final Credential credential;
  private final RegistryOptions options;
  private final HttpClient http;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile Challenge challenge;

  private record Token(String value, Instant expires) {}

  RegistryAuth(String registry, Credential credential, RegistryOptions options, HttpClient http) {
    this.registry = registry;
    this.credential = credential;
    this.options = options;
    this.http = http;
  }

  /** What the ping's 401 asked for; null when the registry needs no authentication. */
  void challenge(Challenge asked) {
    this.challenge = asked;
  }

  boolean isBearer() {
    Challenge c = challenge;
    return c != null && c.isBearer();
  }

  /**
   * After a 401 to a bearer-authenticated request: forgets the token of {@code scope} and returns the scope to
   * ask for next (with the scopes the new challenge names), keeping its realm and service for later tokens.
   */
  Scope refresh(HttpResponse<?> response, Scope scope) {
    Challenge fresh = Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null));
    tokens.remove(scope == null ? "" : scope.key());
    if (fresh != null && fresh.isBearer()) {
      challenge = fresh.withoutScope();
      return Scope.with(scope, fresh.scopes());
    }
    return scope;
  }

  /** The {@code Authorization} value for a request of {@code scope}, if the registry wants one. */
  Optional<String> authorization(Scope scope) {
    Challenge c = challenge;
    if (c == null) {
      return Optional.empty();
    }
    if (c.isBasic()) {
      return credential == null ? Optional.empty() : Optional.of(basic(credential));
    }
    if (c.isBearer()) {
      String key = scope == null ? "" : scope.key();
      Token token = tokens.get(key);
      if (token == null || Instant.now().isAfter(token.expires())) {
        token = fetchToken(c, scope);
        tokens.put(key, token);
      }
      return Optional.of("Bearer " + token.value());
    }
    return Optional.empty();
  }

  /** Who the requests went as, for messages: never the secret. */
  String who() {
    return credential == null ? "without credentials (none found for " + registry + ")"
        : "with the credentials from " + credential.source();
  }

  String credentialSource() {
    return credential == null ? null : credential.source();
  }

  private static String basic(Credential credential) {
    String pair = credential.username() + ":" + credential.secret();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** A token from the challenge's realm: over HTTPS (or an opted-in host), one {@code scope} parameter per scope. */
  private Token fetchToken(Challenge challenge, Scope scope) {
    String realm = challenge.parameters().get("realm");
    if (realm == null) {
      throw RegistryException.answered(registry + " asks for a bearer token but names no realm", 401);
    }
    URI realmUri = URI.create(realm);
    if (!"https".equals(realmUri.getScheme()) && !options.isInsecure(realmUri.getAuthority())
        && !options.isInsecure(registry)) {
      throw RegistryException.notSent(registry + " sends for tokens to " + realm + " over plain HTTP; refused (list "
          + "the host in " + InvalidInputException.param("insecureRegistries") + " to allow it)");
    }
    StringBuilder query = new StringBuilder();
    String service = challenge.parameters().get("service");
    if (service != null) {
      query.append("service=").append(encode(service));
    }
    // one scope parameter per scope; the challenge's scope parameter is a space-separated list
    List<String> scopes = Scope.with(scope, challenge.scopes()).values();
    for (String s : scopes) {
      query.append(query.length() > 0 ? "&" : "").append("scope=").append(encode(s));
    }
    URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
    HttpRequest.Builder builder = HttpClients.request(uri).GET().timeout(options.requestTimeout());
    if (credential != null) {
      builder.header("Authorization", basic(credential));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw RegistryException.unreachable("cannot get a token for " + registry + " from " + realmUri.getAuthority()
          + ": " + RegistryTransport.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.interrupted("token request for " + registry + " interrupted", e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw RegistryException.answered("the token service of " + registry + " refused "
          + (credential == null ? "anonymous access (no credentials found)"
              : "the credentials from " + credential.source()) + " (HTTP " + response.statusCode() + ")",
          response.statusCode());
    }
    if (response.statusCode() != 200) {
      throw RegistryException.answered("the token service of " + registry + " answered " + response.statusCode(),
          response.statusCode());
    }
    JsonNode node = OciJson.parse(response.body(), "token response of " + registry);
    String token = OciJson.text(node, "token");
    if (token == null) {
      token = OciJson.text(node, "access_token");
    }
    if (token == null) {
      throw RegistryException.answered("the token service of " + registry + " sent no token", 200);
    }
    long expiresIn = node.has("expires_in") ? Math.max(node.get("expires_in").asLong(), 60) : 60;
    return new Token(token, Instant.now().plusSeconds(expiresIn - 10));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
