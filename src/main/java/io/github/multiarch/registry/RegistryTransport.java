package io.github.multiarch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Requests to one registry: where it is (the ping finds HTTPS, or plain HTTP for an opted-in host), one rule
 * for which requests carry credentials, retries with back-off that honours {@code Retry-After}, a token
 * refresh on {@code 401}, and failures turned into {@link RegistryException}s of a {@link RegistryException.Kind}.
 * The OCI endpoints are {@link RegistryClient}'s.
 */
final class RegistryTransport {
  private final String registry;
  private final RegistryOptions options;
  private final EngineLog log;
  private final HttpClient http;
  private final RegistryAuth auth;
  private volatile URI base;
  private volatile boolean pinged;

  RegistryTransport(String registry, Credential credential, RegistryOptions options, EngineLog log) {
    this.registry = registry;
    this.options = options;
    this.log = log;
    this.http = HttpClients.create(registry, options);
    this.auth = new RegistryAuth(registry, credential, options, http);
  }

  String registry() {
    return registry;
  }

  RegistryOptions options() {
    return options;
  }

  void close() {
    HttpClients.shutdown(http);
  }

  // ---------------------------------------------------------------------------------------------- ping

  /**
   * {@code GET /v2/}: finds the scheme (HTTPS; plain HTTP only for an opted-in host) and how the registry
   * wants to be authenticated. Fails fast with a clear message when the registry cannot be reached.
   */
  synchronized void ping() {
    if (pinged) {
      return;
    }
    RegistryException last = null;
    for (URI uri : pingCandidates(registry, options.isInsecure(registry))) {
      try {
        HttpResponse<byte[]> response = sendOnce(HttpClients.request(uri).GET(), null, "ping");
        if (response.statusCode() == 200 || response.statusCode() == 401) {
          base = URI.create(uri.getScheme() + "://" + registry);
          Challenge challenge = response.statusCode() == 401
              ? Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null)) : null;
          auth.challenge(challenge);
          pinged = true;
          log.debug("multiarch: " + registry + " answers over " + uri.getScheme()
              + (challenge != null ? " and asks for " + challenge.scheme() + " authentication" : ""));
          return;
        }
        last = RegistryException.answered(registry + " answered " + response.statusCode() + " to GET /v2/; is it a "
            + "container registry?", response.statusCode());
      } catch (RegistryException e) {
        last = e;
        if (e.getCause() instanceof SSLException && !options.isInsecure(registry)) {
          throw RegistryException.unreachable("TLS with " + registry + " failed (" + e.getCause().getMessage()
              + "). If the registry uses a private or self-signed certificate, add its CA with "
              + InvalidInputException.param("caCertificates") + "; to allow plain HTTP to it, list it in "
              + InvalidInputException.param("insecureRegistries"), e.getCause());
        }
      }
    }
    throw last;
  }

  /**
   * Where to ping: HTTPS only, unless the host is opted in to insecure access. Then an explicit port speaks
   * one protocol, so plain HTTP is asked first (a ping carries no credentials, and a TLS port answers it
   * with an error, after which unverified HTTPS is tried) and the TLS handshake a plain registry would fail
   * is never paid for; without a port, HTTPS (443) keeps precedence over plain HTTP (80), which may be
   * another server.
   */
  static List<URI> pingCandidates(String registry, boolean insecure) {
    URI https = URI.create("https://" + registry + "/v2/");
    if (!insecure) {
      return List.of(https);
    }
    URI http = URI.create("http://" + registry + "/v2/");
    return https.getPort() != -1 ? List.of(http, https) : List.of(https, http);
  }

  /** The registry's base URI, pinging it first. */
  URI base() {
    if (!pinged) {
      ping();
    }
    return base;
  }

  // -------------------------------------------------------------------------------------------- sending

  /**
   * Sends a request with authentication; retries broken connections, 408, 429 and 5xx when {@code retry},
   * honouring {@code Retry-After}; fetches a fresh token once on a bearer 401. With {@code failOn401} false, a
   * 401 that survives the refresh is returned, not thrown.
   */
  HttpResponse<byte[]> send(HttpRequest.Builder builder, Scope scope, String what, boolean retry,
      boolean failOn401) {
    int attempt = 0;
    boolean refreshed = false;
    while (true) {
      attempt++;
      HttpResponse<byte[]> response;
      try {
        response = sendOnce(builder.copy(), scope, what);
      } catch (RegistryException e) {
        if (!retry || attempt >= options.maxAttempts() || e.kind() != RegistryException.Kind.UNREACHABLE) {
          throw e;
        }
        log.warn("multiarch: " + what + " at " + registry + " failed (" + e.getMessage() + "); retrying ("
            + attempt + "/" + options.maxAttempts() + ")");
        sleep(backoff(attempt, null));
        continue;
      }
      int status = response.statusCode();
      if (status == 401 && !refreshed && auth.isBearer()) {
        // the token may lack a scope (insufficient_scope) or have expired: fetch a fresh one once
        refreshed = true;
        scope = auth.refresh(response, scope);
        continue;
      }
      if (retry && isRetryable(status) && attempt < options.maxAttempts()) {
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        log.warn("multiarch: " + what + " at " + registry + " answered " + status + "; retrying (" + attempt + "/"
            + options.maxAttempts() + ")");
        sleep(backoff(attempt, retryAfter));
        continue;
      }
      if (status == 401 && failOn401) {
        throw unauthorized(response, what);
      }
      return response;
    }
  }

  /**
   * Runs {@code operation} (a whole upload or download) again while it fails in a way worth retrying, waiting
   * between attempts as {@code Retry-After} asks, up to {@code maxAttempts}.
   */
  <T> T retrying(String what, Supplier<T> operation) {
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return operation.get();
      } catch (RegistryException e) {
        if (attempt >= options.maxAttempts() || !e.isRetryable()) {
          throw e;
        }
        log.warn("multiarch: " + what + " failed (" + e.getMessage() + "); retrying (" + attempt + "/"
            + options.maxAttempts() + ")");
        sleep(backoff(attempt, e.retryAfter()));
      }
    }
  }

  /**
   * Whether a request to {@code uri} may carry this registry's credentials: only to the registry's own host,
   * over the scheme it was found on. An upload {@code Location} or a blob redirect may name another host
   * (storage, a CDN) or plain HTTP: those requests go without {@code Authorization}.
   */
  private boolean mayCarryCredentials(URI uri) {
    URI known = base;
    return registry.equals(uri.getRawAuthority()) && (known == null || known.getScheme().equals(uri.getScheme()));
  }

  /** Plain HTTP only to a host the user opted in to. */
  private void checkScheme(URI uri, String what) {
    if ("http".equals(uri.getScheme()) && !options.isInsecure(uri.getRawAuthority())) {
      throw RegistryException.notSent(what + ": refused to send a request over plain HTTP to " + uri.getRawAuthority()
          + " (list it in " + InvalidInputException.param("insecureRegistries") + " to allow that)");
    }
  }

  private HttpResponse<byte[]> sendOnce(HttpRequest.Builder builder, Scope scope, String what) {
    builder.timeout(options.requestTimeout());
    URI uri = builder.build().uri();
    checkScheme(uri, what);
    if (mayCarryCredentials(uri)) {
      auth.authorization(scope).ifPresent(value -> builder.header("Authorization", value));
    }
    try {
      long start = System.nanoTime();
      HttpRequest request = builder.build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      log.timings().record(request.method() + " " + registry + uri.getRawPath() + " → " + response.statusCode(), start);
      return response;
    } catch (HttpConnectTimeoutException e) {
      // connecting (TCP and TLS handshake) has its own, shorter limit
      throw RegistryException.unreachable("cannot connect to " + registry + " (" + what + "): no connection within "
          + options.connectTimeout().toSeconds() + " s", e);
    } catch (HttpTimeoutException e) {
      throw RegistryException.unreachable(what + " at " + registry + " timed out after "
          + options.requestTimeout().toSeconds() + " s", e);
    } catch (ConnectException e) {
      // not as the cause: Maven's error line would end in the names of the JDK's message-less exceptions
      // ("ConnectException: ClosedChannelException"); -e still shows it, as a suppressed exception
      RegistryException failure = RegistryException.unreachable("cannot connect to " + registry + " (" + what + "): "
          + connectFailure(e, uri.getHost()), null);
      failure.addSuppressed(e);
      throw failure;
    } catch (IOException e) {
      throw RegistryException.unreachable(what + " at " + registry + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.interrupted(what + " at " + registry + " was interrupted", e);
    }
  }

  /** A streamed GET (a blob), following redirects by hand so that the credential rule holds on every hop. */
  HttpResponse<InputStream> sendStreaming(URI uri, Scope scope, String what) {
    URI current = uri;
    for (int redirects = 0; redirects < 5; redirects++) {
      checkScheme(current, what);
      HttpRequest.Builder builder = HttpClients.request(current).GET().timeout(options.requestTimeout());
      if (mayCarryCredentials(current)) {
        auth.authorization(scope).ifPresent(value -> builder.header("Authorization", value));
      }
      HttpResponse<InputStream> response;
      try {
        long start = System.nanoTime();
        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        log.timings().record("GET " + current.getRawAuthority() + current.getRawPath() + " → "
            + response.statusCode() + " (headers; the body streams after)", start);
      } catch (IOException e) {
        throw RegistryException.unreachable(what + " at " + registry + " failed: " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw RegistryException.interrupted(what + " was interrupted", e);
      }
      int status = response.statusCode();
      if (status == 200) {
        return response;
      }
      closeQuietly(response.body());
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        current = current.resolve(response.headers().firstValue("Location").orElseThrow(
            () -> RegistryException.answered(what + ": redirect without Location", status)));
        if (current.getScheme().equals("http") && !options.isInsecure(current.getRawAuthority())) {
          throw RegistryException.notSent(what + ": refused a redirect to plain HTTP " + current.getRawAuthority());
        }
        continue;
      }
      throw RegistryException.answered(what + " at " + registry + " answered " + status, status,
          response.headers().firstValue("Retry-After").orElse(null));
    }
    throw RegistryException.redirectLoop(what + ": too many redirects");
  }

  // ------------------------------------------------------------------------------------------- failures

  private RegistryException unauthorized(HttpResponse<byte[]> response, String what) {
    String detail = errorDetail(response.body());
    return RegistryException.answered(registry + " refused " + what + " " + auth.who() + ": HTTP 401"
        + (detail.isEmpty() ? "" : " " + detail), 401);
  }

  /** A registry's answer that the request cannot go on with, with its error codes. */
  RegistryException failure(HttpResponse<byte[]> response, String what) {
    int status = response.statusCode();
    String detail = errorDetail(response.body());
    if (status == 403) {
      String source = auth.credentialSource();
      return RegistryException.answered(registry + " denied " + what + " (HTTP 403"
          + (source == null ? ", no credentials" : ", credentials from " + source) + ")"
          + (detail.isEmpty() ? "" : ": " + detail), status);
    }
    return RegistryException.answered(what + " failed: HTTP " + status + (detail.isEmpty() ? "" : " " + detail),
        status, response.headers().firstValue("Retry-After").orElse(null));
  }

  /** The registry's error codes and messages, e.g. {@code MANIFEST_BLOB_UNKNOWN: blob unknown to registry}. */
  private static String errorDetail(byte[] body) {
    if (body == null || body.length == 0 || body.length > 64 * 1024) {
      return "";
    }
    try {
      JsonNode node = OciJson.parse(body, "error");
      List<String> parts = new ArrayList<>();
      for (JsonNode error : node.path("errors")) {
        parts.add(error.path("code").asText() + ": " + error.path("message").asText());
      }
      return String.join("; ", parts);
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** 408, 429 and 5xx, but not 507 Insufficient Storage: a full quota stays full (goharbor/harbor#8688). */
  static boolean isRetryable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599 && status != 507);
  }

  private long backoff(int attempt, String retryAfter) {
    long max = options.maxRetryDelay().toMillis();
    if (retryAfter != null) {
      String value = retryAfter.trim();
      try {
        return Math.max(0, Math.min(Long.parseLong(value) * 1000, max));
      } catch (NumberFormatException notSeconds) {
        try {
          // an HTTP date
          long until = java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant().toEpochMilli() - System.currentTimeMillis();
          return Math.max(0, Math.min(until, max));
        } catch (java.time.format.DateTimeParseException unreadable) {
          // neither: fall back to our own backoff
        }
      }
    }
    return Math.min(200L << Math.min(attempt - 1, 10), max);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.interrupted("interrupted while waiting to retry", e);
    }
  }

  /**
   * Why a connection failed: a host name that does not resolve, a refused connection, or what the cause
   * says. The JDK's client reports both of the first two as a ConnectException without a message of its own
   * (its text is at most exception class names, {@code UnresolvedAddressException} as the cause of an unknown
   * host), which would tell a user nothing, or the wrong thing.
   */
  static String connectFailure(ConnectException e, String host) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "unknown host: " + host + " does not resolve (check the host name, the machine's DNS, or the "
            + "proxy settings)";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()
          && !message.matches("[\\w.$]*(Exception|Error)(: [\\w.$]*(Exception|Error))*")) {
        return message;
      }
    }
    return "connection refused (is the registry running, and are the host and port right?)";
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
