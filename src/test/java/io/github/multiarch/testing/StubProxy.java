package io.github.multiarch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted HTTP stub in front of a real registry (a JDK {@link HttpServer} on {@code 127.0.0.1}): every
 * request is recorded and handed to the current {@link Rule}, which may answer by itself or forward the
 * request to the registry and return (or change) its answer. The registry is told the stub's address with
 * {@code X-Forwarded-Host}/{@code -Proto}, so the upload locations it hands out lead back through the stub.
 */
public final class StubProxy implements AutoCloseable {
  private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
      "upgrade", "http2-settings", "transfer-encoding", "keep-alive", "te");
  private static final Set<String> NOT_RETURNED = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "date");

  /** A request as the stub received it. Header names are case-insensitive. */
  public record Request(String method, String path, String rawQuery, Map<String, List<String>> headers,
      byte[] body) {
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String query() {
      return rawQuery == null ? "" : rawQuery;
    }

    @Override
    public String toString() {
      return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery);
    }
  }

  /** An answer: status, headers (case-insensitive names) and body. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public static Response of(int status, String body, String... headerPairs) {
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 0; i + 1 < headerPairs.length; i += 2) {
        headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
      }
      return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** This answer with one header set to {@code value}. */
    public Response withHeader(String name, String value) {
      Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      copy.putAll(headers);
      copy.put(name, List.of(value));
      return new Response(status, copy, body);
    }

    /** This answer with another body (for GET; the length follows). */
    public Response withBody(byte[] newBody) {
      return new Response(status, headers, newBody);
    }
  }

  /** A request and the status the stub answered it with. */
  public record Exchange(Request request, int status, Map<String, List<String>> responseHeaders) {
    public String responseHeader(String name) {
      List<String> values = responseHeaders.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** Forwards a request to the registry behind the stub. */
  public interface Forwarder {
    Response forward(Request request) throws IOException;
  }

  /** Decides the answer to one request. */
  public interface Rule {
    Response answer(Request request, Forwarder registry) throws IOException;
  }

  /** Forwards everything unchanged. */
  public static final Rule PASS_THROUGH = (request, registry) -> registry.forward(request);

  // ------------------------------------------------------------------- what registries refuse, scripted

  private static final Pattern MANIFEST_PATH = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern V2_REPOSITORY = Pattern.compile("/v2/(.+?)/(manifests|blobs|tags|referrers)/.*");

  /** An error answer as registries write it (distribution-spec "Error Codes"): one code and its message. */
  public static Response error(int status, String code, String message) {
    String json = "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "\\\"")
        + "\",\"detail\":null}]}";
    return Response.of(status, json, "Content-Type", "application/json; charset=utf-8");
  }

  /** Answers the requests {@code which} selects with {@code answer}; forwards the rest. */
  public static Rule refusing(Predicate<Request> which, Response answer) {
    return (request, registry) -> which.test(request) ? answer : registry.forward(request);
  }

  /**
   * Immutable tags, as Harbor's tag immutability rules and ECR's immutable repositories answer a push that
   * would move a tag: a PUT of a manifest under a tag the registry already has for other content is refused
   * with {@code refusal} (given the repository and tag); a new tag, a PUT by digest or of the very same content
   * goes through.
   */
  public static Rule immutableTags(BiFunction<String, String, Response> refusal) {
    return (request, registry) -> {
      Matcher m = MANIFEST_PATH.matcher(request.path());
      if (request.method().equals("PUT") && m.matches() && !m.group(2).startsWith("sha256:")) {
        Response existing = registry.forward(new Request("HEAD", request.path(), null,
            Map.of("Accept", List.of(ACCEPT_MANIFESTS)), new byte[0]));
        String digest = existing.header("Docker-Content-Digest");
        if (existing.status() == 200 && digest != null && !digest.equals(sha256(request.body()))) {
          return refusal.apply(m.group(1), m.group(2));
        }
      }
      return registry.forward(request);
    };
  }

  /** Harbor 2's answer to moving an immutable tag (goharbor/harbor#9837: 412 PRECONDITION, "configured as immutable"). */
  public static Response harborImmutable(String repository, String tag) {
    String name = repository.substring(repository.lastIndexOf('/') + 1);
    return error(412, "PRECONDITION", "Failed to process request due to '" + name + ":" + tag
        + "' configured as immutable.");
  }

  /** ECR's answer to moving a tag of an immutable repository (400 TAG_INVALID, aws/containers-roadmap#2380). */
  public static Response ecrImmutable(String repository, String tag) {
    return error(400, "TAG_INVALID", "The image tag '" + tag + "' already exists in the '" + repository
        + "' repository and cannot be overwritten because the repository is immutable.");
  }

  /**
   * ECR without the repository (it creates none on push): every request about {@code repository} is answered
   * 404 NAME_UNKNOWN "The repository with name '...' does not exist in the registry with id '...'".
   */
  public static Rule missingRepository(String repository) {
    return (request, registry) -> {
      Matcher m = V2_REPOSITORY.matcher(request.path());
      if (m.matches() && m.group(1).equals(repository)) {
        return error(404, "NAME_UNKNOWN", "The repository with name '" + repository + "' does not exist in the "
            + "registry with id '123456789012'");
      }
      return registry.forward(request);
    };
  }

  /** Blob uploads refused at their end (the PUT with {@code ?digest=}) with {@code answer}: a quota, as a registry says it. */
  public static Rule quotaOnUploads(Response answer) {
    return refusing(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/"), answer);
  }

  /**
   * Harbor's project quota (goharbor/harbor#17390): 403 DENIED "adding ... of storage resource, which when
   * updated to current usage of ... will exceed the configured upper limit of ...".
   */
  public static Response harborQuota() {
    return error(403, "DENIED", "adding 1.2 MiB of storage resource, which when updated to current usage of 9.9 MiB "
        + "will exceed the configured upper limit of 10.0 MiB.");
  }

  /** A registry whose storage (or quota) is full: 507 Insufficient Storage, with a DENIED "quota" message. */
  public static Response storageFull() {
    return error(507, "DENIED", "Your namespace storage quota has been exceeded");
  }

  /** Cross-repository mounts refused with {@code status} (Harbor answers 401, others 403, 404 or 405). */
  public static Rule refusedMounts(int status) {
    return refusing(r -> r.method().equals("POST") && r.query().contains("mount="),
        error(status, status == 401 ? "UNAUTHORIZED" : "DENIED", "mount refused by the stub"));
  }

  private static final String ACCEPT_MANIFESTS = String.join(", ", "application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private final HttpServer server;
  private final TcpRelay front;
  private final URI target;
  private final HttpClient client;
  private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
  private volatile Rule rule = PASS_THROUGH;
  private final AtomicInteger answering = new AtomicInteger();

  private StubProxy(HttpServer server, URI target) {
    this.server = server;
    this.front = TcpRelay.start("127.0.0.1:" + server.getAddress().getPort(), true);
    this.target = target;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).sslContext(TestRegistry.trustAll())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A stub in front of {@code registry} (its base URL, e.g. {@code http://127.0.0.1:5000}). */
  public static StubProxy start(String registryBaseUrl) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      StubProxy proxy = new StubProxy(server, URI.create(registryBaseUrl));
      server.createContext("/", proxy::handle);
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stub-proxy");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code 127.0.0.1:PORT}: the "registry" the client under test talks to (a relay in front of the HTTP
   * server that hangs up on TLS handshakes at once, as a plain HTTP registry does).
   */
  public String host() {
    return front.host();
  }

  public void rule(Rule newRule) {
    this.rule = newRule == null ? PASS_THROUGH : newRule;
  }

  /** Every request answered, in order, with its status. */
  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /** Every request answered, in order. */
  public List<Request> requests() {
    return exchanges().stream().map(Exchange::request).toList();
  }

  /**
   * The requests answered about {@code repository} ({@code /v2/<repository>/…}), in order. A test that counts
   * requests counts these: a request of an earlier test's failed push, cut short in flight, may still reach the
   * stub after that test ended.
   */
  public List<Request> requests(String repository) {
    return exchanges(repository).stream().map(Exchange::request).toList();
  }

  /** The exchanges about {@code repository}, in order (see {@link #requests(String)}). */
  public List<Exchange> exchanges(String repository) {
    return exchanges().stream().filter(x -> x.request().path().startsWith("/v2/" + repository + "/")).toList();
  }

  /**
   * Forgets every request answered so far, once the requests still being answered are done: a request that a
   * client gave up on (a timeout, a failed push's other uploads) is still answered, and would otherwise be
   * recorded among the next test's.
   */
  public void clear() {
    synchronized (answering) {
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (answering.get() > 0 && System.nanoTime() < until) {
        try {
          answering.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the stub's last answers", e);
        }
      }
    }
    exchanges.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    answering.incrementAndGet();
    try {
      answer(exchange);
    } finally {
      synchronized (answering) {
        answering.decrementAndGet();
        answering.notifyAll();
      }
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
      byte[] body = exchange.getRequestBody().readAllBytes();
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers), body);
      Response response;
      try {
        response = rule.answer(request, this::forward);
      } catch (IOException | RuntimeException e) {
        response = Response.of(502, "stub: " + e);
      }
      response.headers().forEach((name, values) -> {
        if (!NOT_RETURNED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      exchanges.add(new Exchange(request, response.status(), response.headers()));
      boolean head = request.method().equals("HEAD");
      if (head) {
        String length = response.header("Content-Length");
        if (length != null) {
          exchange.getResponseHeaders().set("Content-Length", length);
        }
        exchange.sendResponseHeaders(response.status(), -1);
      } else if (response.body().length == 0) {
        exchange.sendResponseHeaders(response.status(), -1);
      } else {
        exchange.sendResponseHeaders(response.status(), response.body().length);
        exchange.getResponseBody().write(response.body());
      }
    }
  }

  private Response forward(Request request) throws IOException {
    URI uri = target.resolve(request.path() + (request.rawQuery() == null ? "" : "?" + request.rawQuery()));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    request.headers().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(v -> builder.header(name, v));
      }
    });
    builder.header("X-Forwarded-Host", host());
    builder.header("X-Forwarded-Proto", "http");
    builder.method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    try {
      HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(response.headers().map());
      headers.remove(":status");
      return new Response(response.statusCode(), headers, response.body() == null ? new byte[0] : response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    front.close();
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdownNow();
    }
  }
}
