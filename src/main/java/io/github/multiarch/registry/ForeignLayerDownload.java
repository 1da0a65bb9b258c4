package io.github.multiarch.registry;

import io.github.multiarch.EngineLog;
import io.github.multiarch.oci.Descriptor;
import io.github.multiarch.oci.MultiarchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A foreign (non-distributable) layer fetched from its {@code urls}, for a push to a registry the user allowed to
 * hold such layers ({@code allowNondistributableArtifacts}, as Docker's {@code allow-nondistributable-artifacts}):
 * the bytes are checked against the descriptor's digest and size before they go anywhere. The same TLS rules as
 * for registries: HTTPS verified (with the extra CAs), plain HTTP only for a host opted in as insecure.
 */
final class ForeignLayerDownload {
  private static final int MAX_REDIRECTS = 5;

  private ForeignLayerDownload() {}

  /** The layer in a temporary file (deleted once uploaded), or a failure naming every URL tried and why. */
  static BlobCopier.LocalBlob fetch(Descriptor layer, RegistryOptions options, EngineLog log) {
    List<String> failures = new ArrayList<>();
    for (var url : layer.extraFields().path("urls")) {
      try {
        Path file = download(URI.create(url.asText()), layer, options);
        log.debug("multiarch: foreign layer " + layer.digest() + " fetched from " + url.asText());
        return new BlobCopier.LocalBlob(file, true);
      } catch (IOException | RuntimeException e) {
        failures.add(url.asText() + ": " + e.getMessage());
      }
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
    }
    throw new MultiarchException("foreign layer " + layer.digest() + " could not be fetched from its urls ("
        + (failures.isEmpty() ? "it has none" : String.join("; ", failures)) + ")");
  }

  private static Path download(URI start, Descriptor layer, RegistryOptions options) throws IOException {
    URI uri = start;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      if ("http".equals(uri.getScheme()) && !options.isInsecure(host)) {
        throw new IOException("plain HTTP to " + host + ", which is not in insecureRegistries");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IOException("not an HTTP(S) URL");
      }
      HttpClient client = HttpClients.create(host, options);
      HttpResponse<InputStream> response;
      try {
        response = client.send(HttpClients.request(uri).timeout(Duration.ofMinutes(10)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
        response.body().close();
        uri = uri.resolve(response.headers().firstValue("Location").get()); // CDNs redirect to storage
        continue;
      }
      if (status != 200) {
        response.body().close();
        throw new IOException("HTTP " + status);
      }
      return save(response.body(), layer);
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects");
  }

  private static Path save(InputStream body, Descriptor layer) throws IOException {
    Path file = Files.createTempFile("multiarch-foreign-", ".layer");
    MessageDigest sha = layer.digest().newDigester();
    long size;
    try (InputStream in = body; OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
      size = in.transferTo(out);
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    if (size != layer.size() || !layer.digest().matches(sha.digest())) {
      Files.deleteIfExists(file);
      throw new IOException("the content (" + size + " bytes) does not match the descriptor's digest and size");
    }
    return file;
  }
}
