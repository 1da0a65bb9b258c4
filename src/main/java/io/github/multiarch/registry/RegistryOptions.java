package io.github.multiarch.registry;

import io.github.multiarch.oci.InvalidInputException;
import java.net.ProxySelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How to talk to registries.
 *
 * @param insecureRegistries hosts (host or host:port) that may be reached over plain HTTP or with TLS
 *     verification off; no other host ever is. Given as URLs ({@code http://host:port/}), they are taken as
 *     their host and port: that is what users copy from a registry's address
 * @param caCertificates PEM files of extra certificate authorities to trust, besides the JDK's
 * @param chunkSize the largest chunk of a chunked upload (GHCR refuses more than 4 MiB)
 * @param monolithicLimit blobs up to this size are uploaded in a single PUT
 * @param maxAttempts attempts of a request that fails with 408, 429, 5xx or a broken connection
 * @param proxy the proxies to use (from Maven's settings), or null for direct connections
 */
public record RegistryOptions(Set<String> insecureRegistries, List<Path> caCertificates, int chunkSize,
    long monolithicLimit, int maxAttempts, Duration connectTimeout, Duration requestTimeout,
    Duration maxRetryDelay, ProxySelector proxy) {

  public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

  public RegistryOptions {
    insecureRegistries = insecureRegistries == null ? Set.of() : insecureRegistries.stream()
        .map(RegistryOptions::hostOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
  }

  private static final java.util.regex.Pattern HOST =
      java.util.regex.Pattern.compile("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)(:\\d{1,5})?");

  /** {@code host[:port]} of an entry written as that or as a URL; refuses anything else. */
  private static String hostOf(String entry) {
    String text = entry == null ? "" : entry.trim();
    String host = text.replaceFirst("(?i)^https?://", "").replaceFirst("/.*$", "");
    if (!HOST.matcher(host).matches()) {
      throw new InvalidInputException("insecureRegistries", "'" + entry + "' is not a "
          + "registry host; write host or host:port, e.g. localhost:5000 or registry.internal (a URL such as "
          + "http://localhost:5000 is taken as its host and port)");
    }
    return host;
  }

  public static RegistryOptions defaults() {
    return new RegistryOptions(Set.of(), List.of(), DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, 5,
        Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofSeconds(30), null);
  }

  public RegistryOptions withInsecureRegistries(Set<String> hosts) {
    return new RegistryOptions(hosts, caCertificates, chunkSize, monolithicLimit, maxAttempts, connectTimeout,
        requestTimeout, maxRetryDelay, proxy);
  }

  public RegistryOptions withCaCertificates(List<Path> files) {
    return new RegistryOptions(insecureRegistries, files, chunkSize, monolithicLimit, maxAttempts, connectTimeout,
        requestTimeout, maxRetryDelay, proxy);
  }

  public RegistryOptions withChunking(int newChunkSize, long newMonolithicLimit) {
    return new RegistryOptions(insecureRegistries, caCertificates, newChunkSize, newMonolithicLimit, maxAttempts,
        connectTimeout, requestTimeout, maxRetryDelay, proxy);
  }

  public RegistryOptions withProxy(ProxySelector newProxy) {
    return new RegistryOptions(insecureRegistries, caCertificates, chunkSize, monolithicLimit, maxAttempts,
        connectTimeout, requestTimeout, maxRetryDelay, newProxy);
  }

  public boolean isInsecure(String registry) {
    return insecureRegistries.contains(registry);
  }
}
