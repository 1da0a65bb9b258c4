package io.github.multiarch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;

/**
 * A client of one registry (OCI distribution API) over {@link HttpClient}. Thread-safe: one instance serves
 * the parallel uploads of a push. Secrets are only ever put in {@code Authorization} headers, and only to
 * this registry's host (or its token realm), never over plain HTTP unless the host was opted in.
 */
public final class RegistryClient implements AutoCloseable {
  private static final String OCTET_STREAM = "application/octet-stream";

  private final String registry;
  private final Credential credential;
  private final RegistryOptions options;
  private final EngineLog log;
  private final HttpClient http;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile URI base;
  private volatile Challenge challenge;
  private volatile boolean pinged;

  private record Token(String value, Instant expires) {}

  public RegistryClient(String registry, Credential credential, RegistryOptions options, EngineLog log) {
    this.registry = registry;
    this.credential = credential;
    this.options = options;
    this.log = log;
    this.http = HttpClients.create(registry, options);
  }

  public String registry() {
    return registry;
  }

  /**
   * Ends the client's connections and its selector thread (see {@link HttpClients#shutdown}); a goal calls
   * it when it is done with the registry, so that the JVM exits without waiting for that thread.
   */
  @Override
  public void close() {
    HttpClients.shutdown(http);
  }

  // ---------------------------------------------------------------------------------------------- ping

  /**
   * {@code GET /v2/}: finds the scheme (HTTPS; plain HTTP only for an opted-in host) and how the registry
   * wants to be authenticated. Fails fast with a clear message when the registry cannot be reached.
   */
  public synchronized void ping() {
    if (pinged) {
      return;
    }
    List<URI> candidates = pingCandidates(registry, options.isInsecure(registry));
    MultiarchException last = null;
    for (URI uri : candidates) {
      try {
        HttpResponse<byte[]> response = sendOnce(HttpRequest.newBuilder(uri).GET(), null, "ping");
        if (response.statusCode() == 200 || response.statusCode() == 401) {
          base = URI.create(uri.getScheme() + "://" + registry);
          challenge = response.statusCode() == 401
              ? Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null)) : null;
          pinged = true;
          log.debug("multiarch: " + registry + " answers over " + uri.getScheme()
              + (challenge != null ? " and asks for " + challenge.scheme() + " authentication" : ""));
          return;
        }
        last = new RegistryException(registry + " answered " + response.statusCode() + " to GET /v2/; is it a "
            + "container registry?", response.statusCode());
      } catch (RegistryException e) {
        last = e;
        if (e.getCause() instanceof SSLException && !options.isInsecure(registry)) {
          throw new RegistryException("TLS with " + registry + " failed (" + e.getCause().getMessage() + "). If the "
              + "registry uses a private or self-signed certificate, add its CA with "
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

  // --------------------------------------------------------------------------------------------- blobs

  /** Whether the repository has the blob ({@code HEAD}). */
  public boolean blobExists(String repository, Digest digest) {
    HttpResponse<byte[]> response = send(request(repository, "/blobs/" + digest).method("HEAD",
        HttpRequest.BodyPublishers.noBody()), Scope.pull(repository), "HEAD blob " + digest, true);
    int status = response.statusCode();
    if (status == 200) {
      return true;
    }
    // Artifactory answers 403 for a blob it does not have
    if (status == 404 || status == 403) {
      return false;
    }
    throw failure(response, "HEAD blob " + digest + " in " + repository);
  }

  /**
   * Asks the registry to mount a blob from another repository of its own ({@code POST ?mount=&from=}).
   * False when it would not (202, 401, 403, 404: it then has to be uploaded).
   */
  public boolean mountBlob(String repository, Digest digest, String fromRepository) {
    String query = "?mount=" + encode(digest.toString()) + "&from=" + encode(fromRepository);
    // a 401 is an answer here (no pull on the source, or Harbor refusing a mount): the blob is uploaded instead
    HttpResponse<byte[]> response = send(request(repository, "/blobs/uploads/" + query)
            .POST(HttpRequest.BodyPublishers.noBody()),
        Scope.pushAndPull(repository, fromRepository), "mount " + digest + " from " + fromRepository, true, false);
    int status = response.statusCode();
    if (status == 201) {
      return true;
    }
    if (status == 202) {
      cancelUpload(response, Scope.push(repository));
      return false;
    }
    if (status == 401 || status == 403 || status == 404) {
      return false; // Harbor answers a refused mount with 401
    }
    throw failure(response, "mount " + digest + " from " + fromRepository + " into " + repository);
  }

  /**
   * Uploads a blob from a file, streaming it: one PUT up to {@code monolithicLimit}, else PATCH chunks of at
   * most {@code chunkSize}, always following the newest {@code Location}. A failed upload is cancelled and,
   * when the failure is transient, retried as a whole in a new session (waiting as long as a
   * {@code Retry-After} asks). Starting a session is retried by itself; when even that fails, the upload is
   * not tried again on top.
   */
  public void uploadBlob(String repository, Digest digest, long size, Path file) {
    uploadBlob(repository, digest, size, file, UploadListener.NONE);
  }

  /** As {@link #uploadBlob(String, Digest, long, Path)}, telling {@code listener} how far it has got. */
  public void uploadBlob(String repository, Digest digest, long size, Path file, UploadListener listener) {
    Scope scope = Scope.push(repository);
    int attempt = 0;
    while (true) {
      attempt++;
      URI location = startUpload(repository, digest, scope);
      try {
        uploadTo(location, repository, digest, size, file, scope, listener);
        listener.completed(digest, size);
        return;
      } catch (RegistryException e) {
        if (attempt >= options.maxAttempts() || !isRetryable(e.status())) {
          throw e;
        }
        log.warn("multiarch: upload of " + digest + " to " + registry + "/" + repository + " failed ("
            + e.getMessage() + "); retrying (" + attempt + "/" + options.maxAttempts() + ")");
        sleep(backoff(attempt, e.retryAfter()));
      }
    }
  }

  private URI startUpload(String repository, Digest digest, Scope scope) {
    HttpResponse<byte[]> started = send(request(repository, "/blobs/uploads/")
        .POST(HttpRequest.BodyPublishers.noBody()), scope, "start upload of " + digest, true);
    if (started.statusCode() != 202) {
      throw failure(started, "start upload of " + digest + " to " + repository);
    }
    return location(started, null);
  }

  private void uploadTo(URI start, String repository, Digest digest, long size, Path file, Scope scope,
      UploadListener listener) {
    URI location = start;
    listener.progress(digest, 0, size);
    try {
      if (size <= options.monolithicLimit()) {
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(withDigest(location, digest))
                .header("Content-Type", OCTET_STREAM)
                .PUT(counting(HttpRequest.BodyPublishers.ofFile(file), sent -> listener.progress(digest, sent, size))),
            scope, "upload " + digest, false);
        if (put.statusCode() != 201) {
          throw failure(put, "upload of " + digest + " to " + repository);
        }
        checkDigestHeader(put, digest, "upload of blob");
        return;
      }
      long offset = 0;
      while (offset < size) {
        long length = Math.min(options.chunkSize(), size - offset);
        byte[] chunk = readChunk(file, offset, (int) length);
        HttpResponse<byte[]> patch = send(HttpRequest.newBuilder(location)
                .header("Content-Type", OCTET_STREAM)
                .header("Content-Range", offset + "-" + (offset + length - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)), scope,
            "upload chunk of " + digest, false);
        if (patch.statusCode() != 202) {
          throw failure(patch, "upload of a chunk of " + digest + " to " + repository);
        }
        location = location(patch, location);
        offset += length;
        listener.progress(digest, offset, size);
      }
      HttpResponse<byte[]> done = send(HttpRequest.newBuilder(withDigest(location, digest))
          .header("Content-Type", OCTET_STREAM)
          .PUT(HttpRequest.BodyPublishers.noBody()), scope, "finish upload of " + digest, false);
      if (done.statusCode() != 201) {
        throw failure(done, "upload of " + digest + " to " + repository);
      }
      checkDigestHeader(done, digest, "upload of blob");
    } catch (MultiarchException e) {
      cancel(location, scope);
      throw e;
    } catch (IOException e) {
      cancel(location, scope);
      throw new MultiarchException("cannot read " + file + " for upload: " + e.getMessage(), e);
    }
  }

  /** A body that reports how many of its bytes have been handed to the connection (from the client's threads). */
  static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher body, LongConsumer sentSoFar) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicLong sent = new AtomicLong(); // per subscription: a request sent again counts from 0
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            int bytes = item.remaining();
            subscriber.onNext(item);
            sentSoFar.accept(sent.addAndGet(bytes));
          }

          @Override
          public void onError(Throwable throwable) {
            subscriber.onError(throwable);
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        });
      }
    };
  }

  private static byte[] readChunk(Path file, long offset, int length) throws IOException {
    byte[] chunk = new byte[length];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(chunk);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          throw new IOException(file + " is shorter than expected");
        }
      }
    }
    return chunk;
  }

  /** Downloads a blob into {@code target}, checking its digest (and following redirects to storage). */
  public void fetchBlob(String repository, Digest digest, Path target) {
    // 408, 429, 5xx and broken downloads are tried again, from the start; content that does not match its
    // digest is refused at once
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        fetchBlobOnce(repository, digest, target);
        return;
      } catch (RegistryException e) {
        if (attempt >= options.maxAttempts() || !isRetryable(e.status())) {
          throw e;
        }
        log.warn("multiarch: download of " + digest + " from " + registry + "/" + repository + " failed ("
            + e.getMessage() + "); retrying (" + attempt + "/" + options.maxAttempts() + ")");
        sleep(backoff(attempt, e.retryAfter()));
      }
    }
  }

  private void fetchBlobOnce(String repository, Digest digest, Path target) {
    URI uri = base().resolve("/v2/" + repository + "/blobs/" + digest);
    HttpResponse<InputStream> response = sendStreaming(uri, Scope.pull(repository), "GET blob " + digest);
    MessageDigest sha = digest.newDigester();
    Path temp = target.resolveSibling(target.getFileName() + ".partial");
    try (InputStream in = response.body();
        OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
      in.transferTo(out);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new RegistryException("download of " + digest + " from " + registry + "/" + repository + " failed: "
          + e.getMessage(), e);
    }
    if (!digest.matches(sha.digest())) {
      deleteQuietly(temp);
      throw new MultiarchException("blob " + digest + " from " + registry + "/" + repository
          + " does not match its digest: refused");
    }
    try {
      Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new MultiarchException("cannot store " + target + ": " + e.getMessage(), e);
    }
  }

  // ----------------------------------------------------------------------------------------- manifests

  /** A manifest as the registry holds it: exact bytes, media type, digest of those bytes. */
  public record Manifest(byte[] bytes, String mediaType, Digest digest) {
    public Descriptor descriptor() {
      return new Descriptor(mediaType, digest, bytes.length);
    }
  }

  /**
   * Gets a manifest or index by tag or digest, sending every manifest media type in {@code Accept}. A
   * manifest fetched by digest must match it; over 4 MiB is refused.
   */
  public Optional<Manifest> getManifest(String repository, String reference) {
    HttpResponse<byte[]> response = send(request(repository, "/manifests/" + reference)
        .header("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS)).GET(), Scope.pull(repository),
        "GET manifest " + reference, true);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw failure(response, "GET manifest " + repository + ":" + reference);
    }
    byte[] bytes = response.body();
    if (bytes.length > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException("manifest " + registry + "/" + repository + ":" + reference + " is over 4 MiB");
    }
    Digest digest = Digest.sha256(bytes);
    if (Digest.isValid(reference) && !Digest.parse(reference).equals(digest)) {
      throw new MultiarchException("manifest " + registry + "/" + repository + "@" + reference
          + " does not match its digest (got " + digest + "): refused");
    }
    String mediaType = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim())
        .orElse(null);
    if (mediaType == null || !(MediaTypes.isIndex(mediaType) || MediaTypes.isManifest(mediaType))) {
      JsonNode node = OciJson.parse(bytes, "manifest " + reference);
      mediaType = OciJson.text(node, "mediaType");
    }
    return Optional.of(new Manifest(bytes, mediaType, digest));
  }

  /** The digest and media type of a manifest, if the repository has it ({@code HEAD}). */
  public Optional<Descriptor> headManifest(String repository, String reference) {
    HttpResponse<byte[]> response = send(request(repository, "/manifests/" + reference)
        .header("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()), Scope.pull(repository), "HEAD manifest " + reference,
        true);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw failure(response, "HEAD manifest " + repository + ":" + reference);
    }
    Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
    long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    String mediaType = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
    if (digest.isEmpty() || !Digest.isValid(digest.get())) {
      return getManifest(repository, reference).map(Manifest::descriptor);
    }
    return Optional.of(new Descriptor(mediaType, Digest.parse(digest.get()), size));
  }

  /**
   * Puts a manifest or index as exactly these bytes, with {@code Content-Type} its media type, under a tag or
   * its digest; checks the digest the registry reports.
   */
  public Digest putManifest(String repository, String reference, byte[] bytes, String mediaType) {
    if (bytes.length > OciJson.MAX_MANIFEST_BYTES) {
      throw new MultiarchException("manifest for " + reference + " is over 4 MiB; registries refuse it");
    }
    Digest digest = Digest.sha256(bytes);
    HttpResponse<byte[]> response = send(request(repository, "/manifests/" + reference)
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
        Scope.push(repository), "PUT manifest " + reference, true);
    if (response.statusCode() != 201 && response.statusCode() != 200) {
      throw failure(response, "PUT manifest " + registry + "/" + repository + ":" + reference);
    }
    checkDigestHeader(response, digest, "manifest " + reference);
    return digest;
  }

  // ------------------------------------------------------------------------------------------ plumbing

  private URI base() {
    if (!pinged) {
      ping();
    }
    return base;
  }

  private HttpRequest.Builder request(String repository, String path) {
    return HttpRequest.newBuilder(base().resolve("/v2/" + repository + path));
  }

  private static URI withDigest(URI location, Digest digest) {
    String text = location.toString();
    return URI.create(text + (text.contains("?") ? "&" : "?") + "digest=" + encode(digest.toString()));
  }

  private URI location(HttpResponse<?> response, URI previous) {
    Optional<String> header = response.headers().firstValue("Location");
    if (header.isEmpty()) {
      if (previous != null) {
        return previous;
      }
      throw new RegistryException(registry + " started an upload without a Location", response.statusCode());
    }
    return response.uri().resolve(header.get());
  }

  private void cancelUpload(HttpResponse<?> response, Scope scope) {
    response.headers().firstValue("Location").ifPresent(l -> cancel(response.uri().resolve(l), scope));
  }

  private void cancel(URI location, Scope scope) {
    try {
      // through send: a token may need one more scope for a DELETE (distribution asks for "delete")
      send(HttpRequest.newBuilder(location).DELETE(), scope, "cancel upload", false, false);
    } catch (RuntimeException ignored) {
      // best effort: the registry expires abandoned uploads
    }
  }

  private void checkDigestHeader(HttpResponse<?> response, Digest expected, String what) {
    Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
    if (header.isPresent() && !header.get().trim().equals(expected.toString())) {
      throw new MultiarchException(registry + " reported digest " + header.get() + " for the " + what
          + ", but its content is " + expected + ": refused");
    }
  }

  /**
   * Sends a request with authentication; retries 408, 429, 5xx and broken connections when
   * {@code retry}, honouring {@code Retry-After}.
   */
  private HttpResponse<byte[]> send(HttpRequest.Builder builder, Scope scope, String what, boolean retry) {
    return send(builder, scope, what, retry, true);
  }

  /** As above; with {@code failOn401} false a 401 that survives a token refresh is returned, not thrown. */
  private HttpResponse<byte[]> send(HttpRequest.Builder builder, Scope scope, String what, boolean retry,
      boolean failOn401) {
    int attempt = 0;
    boolean refreshed = false;
    while (true) {
      attempt++;
      HttpResponse<byte[]> response;
      try {
        response = sendOnce(builder.copy(), scope, what);
      } catch (RegistryException e) {
        if (!retry || attempt >= options.maxAttempts() || e.status() != -1) {
          throw e;
        }
        log.warn("multiarch: " + what + " at " + registry + " failed (" + e.getMessage() + "); retrying ("
            + attempt + "/" + options.maxAttempts() + ")");
        sleep(backoff(attempt, null));
        continue;
      }
      int status = response.statusCode();
      if (status == 401 && !refreshed && challenge != null && challenge.isBearer()) {
        // the token may lack a scope (insufficient_scope) or have expired: fetch a fresh one once
        refreshed = true;
        Challenge fresh = Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null));
        tokens.remove(scope == null ? "" : scope.key());
        if (fresh != null && fresh.isBearer()) {
          // the scopes it names are this request's; realm and service serve every later token
          scope = Scope.with(scope, fresh.scopes());
          challenge = fresh.withoutScope();
        }
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

  private HttpResponse<byte[]> sendOnce(HttpRequest.Builder builder, Scope scope, String what) {
    builder.timeout(options.requestTimeout());
    URI uri = builder.build().uri();
    // an upload Location may name plain HTTP, or another host (storage, a CDN): plain HTTP only to a host
    // the user opted in, and credentials only to the registry, over the scheme it was found on
    if ("http".equals(uri.getScheme()) && !options.isInsecure(uri.getRawAuthority())) {
      throw new RegistryException(what + ": refused to send a request over plain HTTP to " + uri.getRawAuthority()
          + " (list it in " + InvalidInputException.param("insecureRegistries") + " to allow that)", 0);
    }
    URI known = base;
    if (registry.equals(uri.getRawAuthority()) && (known == null || known.getScheme().equals(uri.getScheme()))) {
      authorization(scope).ifPresent(value -> builder.header("Authorization", value));
    }
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      // connecting (TCP and TLS handshake) has its own, shorter limit
      throw new RegistryException("cannot connect to " + registry + " (" + what + "): no connection within "
          + options.connectTimeout().toSeconds() + " s", e);
    } catch (HttpTimeoutException e) {
      throw new RegistryException(what + " at " + registry + " timed out after " + options.requestTimeout().toSeconds()
          + " s", e);
    } catch (ConnectException e) {
      // not as the cause: Maven's error line would end in the names of the JDK's message-less exceptions
      // ("ConnectException: ClosedChannelException"); -e still shows it, as a suppressed exception
      RegistryException failure = new RegistryException("cannot connect to " + registry + " (" + what + "): "
          + connectFailure(e, uri.getHost()), -1);
      failure.addSuppressed(e);
      throw failure;
    } catch (IOException e) {
      throw new RegistryException(what + " at " + registry + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(what + " at " + registry + " was interrupted", e);
    }
  }

  /** GET of a blob, following redirects by hand so that Authorization never goes to another host. */
  private HttpResponse<InputStream> sendStreaming(URI uri, Scope scope, String what) {
    URI current = uri;
    for (int redirects = 0; redirects < 5; redirects++) {
      // the same scheme too: an https registry's credentials never go to http://the-same-host
      boolean sameHost = current.getScheme().equals(base().getScheme()) && current.getHost().equals(base().getHost())
          && current.getPort() == base().getPort();
      HttpRequest.Builder builder = HttpRequest.newBuilder(current).GET().timeout(options.requestTimeout());
      if (sameHost) {
        authorization(scope).ifPresent(value -> builder.header("Authorization", value));
      }
      HttpResponse<InputStream> response;
      try {
        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new RegistryException(what + " at " + registry + " failed: " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(what + " was interrupted", e);
      }
      int status = response.statusCode();
      if (status == 200) {
        return response;
      }
      closeQuietly(response.body());
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        current = current.resolve(response.headers().firstValue("Location").orElseThrow(
            () -> new RegistryException(what + ": redirect without Location", status)));
        if (current.getScheme().equals("http") && !options.isInsecure(current.getAuthority())) {
          throw new RegistryException(what + ": refused a redirect to plain HTTP " + current.getAuthority(), status);
        }
        continue;
      }
      throw new RegistryException(what + " at " + registry + " answered " + status, status,
          response.headers().firstValue("Retry-After").orElse(null));
    }
    throw new RegistryException(what + ": too many redirects", 308); // a loop: not worth retrying
  }

  private Optional<String> authorization(Scope scope) {
    Challenge c = challenge;
    if (c == null) {
      return Optional.empty();
    }
    if (c.isBasic()) {
      if (credential == null) {
        return Optional.empty();
      }
      String pair = credential.username() + ":" + credential.secret();
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    if (c.isBearer()) {
      String key = scope == null ? "" : scope.key();
      Token token = tokens.get(key);
      if (token == null || Instant.now().isAfter(token.expires())) {
        token = TokenFetcher.fetch(http, c, scope, credential, registry, options);
        tokens.put(key, token);
      }
      return Optional.of("Bearer " + token.value());
    }
    return Optional.empty();
  }

  /** Token fetching, apart so that its rules (scopes, realm over HTTPS) stand together. */
  static final class TokenFetcher {
    private TokenFetcher() {}

    static Token fetch(HttpClient http, Challenge challenge, Scope scope, Credential credential, String registry,
        RegistryOptions options) {
      String realm = challenge.parameters().get("realm");
      if (realm == null) {
        throw new RegistryException(registry + " asks for a bearer token but names no realm", 401);
      }
      URI realmUri = URI.create(realm);
      if (!"https".equals(realmUri.getScheme()) && !options.isInsecure(realmUri.getAuthority())
          && !options.isInsecure(registry)) {
        throw new RegistryException(registry + " sends for tokens to " + realm + " over plain HTTP; refused (list "
            + "the host in " + InvalidInputException.param("insecureRegistries") + " to allow it)", 401);
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
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(options.requestTimeout());
      if (credential != null) {
        String pair = credential.username() + ":" + credential.secret();
        builder.header("Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new RegistryException("cannot get a token for " + registry + " from " + realmUri.getAuthority() + ": "
            + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException("token request interrupted", e);
      }
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw new RegistryException("the token service of " + registry + " refused "
            + (credential == null ? "anonymous access (no credentials found)"
                : "the credentials from " + credential.source()) + " (HTTP " + response.statusCode() + ")",
            response.statusCode());
      }
      if (response.statusCode() != 200) {
        throw new RegistryException("the token service of " + registry + " answered " + response.statusCode(),
            response.statusCode());
      }
      JsonNode node = OciJson.parse(response.body(), "token response of " + registry);
      String token = OciJson.text(node, "token");
      if (token == null) {
        token = OciJson.text(node, "access_token");
      }
      if (token == null) {
        throw new RegistryException("the token service of " + registry + " sent no token", 200);
      }
      long expiresIn = node.has("expires_in") ? Math.max(node.get("expires_in").asLong(), 60) : 60;
      return new Token(token, Instant.now().plusSeconds(expiresIn - 10));
    }
  }

  private RegistryException unauthorized(HttpResponse<byte[]> response, String what) {
    String detail = errorDetail(response.body());
    String who = credential == null ? "without credentials (none found for " + registry + ")"
        : "with the credentials from " + credential.source();
    return new RegistryException(registry + " refused " + what + " " + who + ": HTTP 401"
        + (detail.isEmpty() ? "" : " " + detail), 401);
  }

  private RegistryException failure(HttpResponse<byte[]> response, String what) {
    int status = response.statusCode();
    String detail = errorDetail(response.body());
    if (status == 403) {
      return new RegistryException(registry + " denied " + what + " (HTTP 403"
          + (credential == null ? ", no credentials" : ", credentials from " + credential.source()) + ")"
          + (detail.isEmpty() ? "" : ": " + detail), status);
    }
    return new RegistryException(what + " failed: HTTP " + status + (detail.isEmpty() ? "" : " " + detail), status,
        response.headers().firstValue("Retry-After").orElse(null));
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

  static boolean isRetryable(int status) {
    return status == -1 || status == 408 || status == 429 || (status >= 500 && status <= 599);
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
      throw new RegistryException("interrupted while waiting to retry", e);
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

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a leftover .partial file is harmless
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
