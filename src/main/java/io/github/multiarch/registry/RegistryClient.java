package io.github.multiarch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.Digest;
import io.github.multiarch.oci.ImageIndex;
import io.github.multiarch.oci.MediaTypes;
import io.github.multiarch.oci.MultiarchException;
import io.github.multiarch.oci.OciJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OCI distribution endpoints of one registry: blobs (exists, mount, upload, download) and manifests (get,
 * head, put), on top of {@link RegistryTransport} (where the registry is, retries, the credential rule) and
 * {@link RegistryAuth} (Basic and bearer tokens). Thread-safe: one instance serves the parallel uploads of a
 * push. Secrets are only ever put in {@code Authorization} headers, and only to this registry's host (or its
 * token realm), never over plain HTTP unless the host was opted in.
 */
public final class RegistryClient implements AutoCloseable {
  private static final String OCTET_STREAM = "application/octet-stream";

  private final String registry;
  private final RegistryOptions options;
  private final RegistryTransport transport;

  public RegistryClient(String registry, Credential credential, RegistryOptions options, EngineLog log) {
    this.registry = registry;
    this.options = options;
    this.transport = new RegistryTransport(registry, credential, options, log);
  }

  public String registry() {
    return registry;
  }

  /** How this client reaches registries (TLS, CAs, insecure hosts, proxy), for other downloads of a push. */
  RegistryOptions options() {
    return options;
  }

  /**
   * Ends the client's connections and its selector thread (see {@link HttpClients#shutdown}); a goal calls
   * it when it is done with the registry, so that the JVM exits without waiting for that thread.
   */
  @Override
  public void close() {
    transport.close();
  }

  /**
   * {@code GET /v2/}: finds the scheme (HTTPS; plain HTTP only for an opted-in host) and how the registry
   * wants to be authenticated. Fails fast with a clear message when the registry cannot be reached.
   */
  public void ping() {
    transport.ping();
  }

  /** Where to ping, in order (see {@link RegistryTransport#pingCandidates}). */
  static List<URI> pingCandidates(String registry, boolean insecure) {
    return RegistryTransport.pingCandidates(registry, insecure);
  }

  /** Why a connection failed (see {@link RegistryTransport#connectFailure}). */
  static String connectFailure(java.net.ConnectException e, String host) {
    return RegistryTransport.connectFailure(e, host);
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
   * What a mount request gave: the blob mounted (201), or not, with the upload session the registry opened
   * instead (202, as distribution does when it cannot mount: the upload goes there, no second session) or
   * null, and the status it answered.
   */
  public record Mount(boolean mounted, URI uploadSession, int status) {}

  /**
   * Asks the registry to mount a blob from another repository of its own ({@code POST ?mount=&from=}). Any
   * answer but 201 means the blob has to be uploaded (Harbor refuses with 401, others with 403, 404 or 405).
   */
  public Mount mountBlob(String repository, Digest digest, String fromRepository) {
    String query = "?mount=" + encode(digest.toString()) + "&from=" + encode(fromRepository);
    // a 401 is an answer here (no pull on the source, or Harbor refusing a mount): the blob is uploaded instead
    HttpResponse<byte[]> response = transport.send(request(repository, "/blobs/uploads/" + query)
            .POST(HttpRequest.BodyPublishers.noBody()),
        Scope.pushAndPull(repository, fromRepository), "mount " + digest + " from " + fromRepository, true, false);
    int status = response.statusCode();
    boolean session = status == 202 && response.headers().firstValue("Location").isPresent();
    return new Mount(status == 201, session ? location(response, null) : null, status);
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
    uploadBlob(repository, digest, size, file, listener, null);
  }

  /** As above, first into {@code session} (opened by a mount the registry answered with 202) when not null. */
  public void uploadBlob(String repository, Digest digest, long size, Path file, UploadListener listener,
      URI session) {
    Scope scope = Scope.push(repository);
    AtomicReference<URI> opened = new AtomicReference<>(session);
    transport.retrying("upload of " + digest + " to " + registry + "/" + repository, () -> {
      URI start = opened.getAndSet(null); // a retry starts its own session: the failed one was cancelled
      uploadTo(start != null ? start : startUpload(repository, digest, scope), repository, digest, size, file, scope,
          listener);
      return null;
    });
    listener.completed(digest, size);
  }

  /** Uploads small content (a manifest's config, an SBOM, a signature) unless the repository has it. */
  public void uploadBlobIfAbsent(String repository, byte[] content) {
    if (!blobExists(repository, Digest.sha256(content))) {
      uploadBlob(repository, content);
    }
  }

  /** Uploads small content without asking first: for content just made, which no repository can have yet. */
  public void uploadBlob(String repository, byte[] content) {
    Digest digest = Digest.sha256(content);
    Path temp = null;
    try {
      temp = Files.createTempFile("multiarch-blob-", ".tmp");
      Files.write(temp, content);
      uploadBlob(repository, digest, content.length, temp);
    } catch (IOException e) {
      throw new MultiarchException("cannot stage blob " + digest + " for upload: " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
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
        HttpResponse<byte[]> put = send(HttpClients.request(withDigest(location, digest))
                .header("Content-Type", OCTET_STREAM)
                .PUT(UploadBodies.counting(HttpRequest.BodyPublishers.ofFile(file), sent -> listener.progress(digest, sent, size))),
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
        byte[] chunk = UploadBodies.chunk(file, offset, (int) length);
        HttpResponse<byte[]> patch = send(HttpClients.request(location)
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
      HttpResponse<byte[]> done = send(HttpClients.request(withDigest(location, digest))
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

  /** Downloads a blob into {@code target}, checking its digest (and following redirects to storage). */
  public void fetchBlob(String repository, Digest digest, Path target) {
    // 408, 429, 5xx and broken downloads are tried again, from the start; content that does not match its
    // digest is refused at once
    transport.retrying("download of " + digest + " from " + registry + "/" + repository, () -> {
      fetchBlobOnce(repository, digest, target);
      return null;
    });
  }

  private void fetchBlobOnce(String repository, Digest digest, Path target) {
    URI uri = transport.base().resolve("/v2/" + repository + "/blobs/" + digest);
    HttpResponse<InputStream> response = transport.sendStreaming(uri, Scope.pull(repository), "GET blob " + digest);
    MessageDigest sha = digest.newDigester();
    Path temp = target.resolveSibling(target.getFileName() + ".partial");
    try (InputStream in = response.body();
        OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
      in.transferTo(out);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw RegistryException.unreachable("download of " + digest + " from " + registry + "/" + repository
          + " failed: " + e.getMessage(), e);
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
    putManifestResponse(repository, reference, bytes, mediaType);
    return Digest.sha256(bytes);
  }

  /**
   * Puts a manifest that has a {@code subject} by its digest, and tells whether the registry processed the
   * subject: a registry with the referrers API answers with {@code OCI-Subject} (distribution-spec v1.1,
   * "Pushing Manifests with Subject"); without it the client keeps the referrers tag itself.
   */
  public boolean putReferrer(String repository, Digest digest, byte[] bytes, String mediaType) {
    return putManifestResponse(repository, digest.toString(), bytes, mediaType).headers()
        .firstValue("OCI-Subject").isPresent();
  }

  private HttpResponse<byte[]> putManifestResponse(String repository, String reference, byte[] bytes,
      String mediaType) {
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
    return response;
  }

  /**
   * The referrers of {@code subject} from the registry's referrers API ({@code GET /v2/<name>/referrers/<digest>},
   * distribution-spec v1.1 "Listing Referrers"), or empty when the registry has no such API (it answers 404 or
   * anything but an index): the caller then reads the referrers tag.
   */
  public Optional<ImageIndex> referrers(String repository, Digest subject) {
    HttpResponse<byte[]> response = send(request(repository, "/referrers/" + subject)
        .header("Accept", MediaTypes.OCI_INDEX).GET(), Scope.pull(repository), "GET referrers of " + subject, true);
    String contentType = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse("");
    if (response.statusCode() != 200 || !MediaTypes.OCI_INDEX.equals(contentType)) {
      return Optional.empty();
    }
    return Optional.of(ImageIndex.parse(response.body(), MediaTypes.OCI_INDEX,
        "referrers of " + subject + " in " + registry + "/" + repository));
  }

  // ------------------------------------------------------------------------------------------ plumbing

  private HttpRequest.Builder request(String repository, String path) {
    return HttpClients.request(transport.base().resolve("/v2/" + repository + path));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder builder, Scope scope, String what, boolean retry) {
    return transport.send(builder, scope, what, retry, true);
  }

  /** The failure of a request, told apart when it is a refusal by rule (an immutable tag, a quota…). */
  private RegistryException failure(HttpResponse<byte[]> response, String what) {
    return Refusals.explain(registry, response, transport.failure(response, what));
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
      throw RegistryException.answered(registry + " started an upload without a Location", response.statusCode());
    }
    return response.uri().resolve(header.get());
  }

  /** Ends an upload session that will not be used (e.g. the one a mount opened, when the blob cannot be read). */
  public void cancelUpload(URI session, String repository) {
    if (session != null) {
      cancel(session, Scope.push(repository));
    }
  }

  private void cancel(URI location, Scope scope) {
    try {
      // through send: a token may need one more scope for a DELETE (distribution asks for "delete")
      transport.send(HttpClients.request(location).DELETE(), scope, "cancel upload", false, false);
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
}
