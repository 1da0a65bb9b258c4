package io.github.multiarch.testing;

import io.github.multiarch.registry.Credential;
import io.github.multiarch.registry.RegistryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) started on
 * {@code 127.0.0.1} and a free port, with a configuration of its own under {@code target/} (never the
 * package's, which listens on every interface). Optionally with htpasswd basic auth, TLS with a self-signed
 * certificate for {@code localhost}/{@code 127.0.0.1}, or bearer tokens from a {@link TokenServer}.
 *
 * <p>{@link #startDefault} lets the environment point the plain tests at another registry instead:
 * {@code MULTIARCH_TEST_REGISTRY} (host[:port]) with {@code MULTIARCH_TEST_REGISTRY_USERNAME} and
 * {@code _PASSWORD}; the default is always the local process.
 */
public final class TestRegistry implements AutoCloseable {
  public static final String ENV_REGISTRY = "MULTIARCH_TEST_REGISTRY";
  public static final String ENV_USERNAME = "MULTIARCH_TEST_REGISTRY_USERNAME";
  public static final String ENV_PASSWORD = "MULTIARCH_TEST_REGISTRY_PASSWORD";
  public static final String SERVICE = "multiarch-test-registry";
  public static final String ISSUER = "multiarch-test-issuer";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  private final String host;
  private final Path dir;
  private volatile Process process;
  private final Pem tls;
  private final String username;
  private final String password;
  private final boolean local;
  private final Thread shutdownHook;

  private TestRegistry(String host, Path dir, Process process, Pem tls, String username, String password,
      boolean local) {
    this.host = host;
    this.dir = dir;
    this.process = process;
    this.tls = tls;
    this.username = username;
    this.password = password;
    this.local = local;
    if (process != null) {
      this.shutdownHook = new Thread(() -> this.process.destroyForcibly(), "stop test registry " + host);
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The registry of the plain tests: the one named by {@value #ENV_REGISTRY} when set, else a local process
   * over plain HTTP without authentication.
   */
  public static TestRegistry startDefault(String name) {
    String external = System.getenv(ENV_REGISTRY);
    if (external != null && !external.isBlank()) {
      return new TestRegistry(external.trim(), null, null, null, System.getenv(ENV_USERNAME),
          System.getenv(ENV_PASSWORD), false);
    }
    return builder(name).start();
  }

  /** What to start. */
  public static final class Builder {
    private final String name;
    private String username;
    private String password;
    private boolean tls;
    private TokenServer tokens;
    private boolean foreignUrls;
    private boolean accessLog;
    private String proxyOf;

    private Builder(String name) {
      this.name = name;
    }

    /** htpasswd basic auth with one user (bcrypt cost 4, made by {@code htpasswd}). */
    public Builder basicAuth(String user, String secret) {
      this.username = user;
      this.password = secret;
      return this;
    }

    /**
     * Accepts manifests whose foreign layers carry {@code urls} (Windows bases), as Docker Hub and MCR do:
     * distribution refuses them while {@code validation.manifests.urls.allow} is unset
     * (https://distribution.github.io/distribution/about/configuration/#validation).
     */
    public Builder allowForeignLayerUrls() {
      this.foreignUrls = true;
      return this;
    }

    /**
     * Logs every request (combined log format, with the User-Agent) to {@link #log()}: what distinguishes this
     * plugin's requests (the JDK's {@code Java-http-client}) from a proxying registry's (Go's).
     */
    public Builder accessLog() {
      this.accessLog = true;
      return this;
    }

    /**
     * A pull-through cache of the registry at {@code remoteUrl} ({@code http://127.0.0.1:PORT}), as distribution
     * runs one for Docker Hub (https://distribution.github.io/distribution/recipes/mirror/): it fetches what it
     * lacks from there, keeps it, and refuses pushes.
     */
    public Builder proxyOf(String remoteUrl) {
      this.proxyOf = remoteUrl;
      return this;
    }

    /** HTTPS with a self-signed certificate for DNS:localhost and IP:127.0.0.1. */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** Bearer tokens from {@code server}, whose signing certificate is the registry's rootcertbundle. */
    public Builder tokenAuth(TokenServer server) {
      this.tokens = server;
      return this;
    }

    public TestRegistry start() {
      Tools.require("docker-registry", "docker-registry");
      Path dir = targetDirectory().resolve("test-registries/" + name + "-" + ProcessHandle.current().pid() + "-"
          + COUNTER.incrementAndGet());
      try {
        deleteRecursively(dir);
        Files.createDirectories(dir.resolve("storage"));
        Pem pem = tls ? Pem.selfSigned(dir.resolve("tls"), "localhost") : null;
        String htpasswd = null;
        if (username != null) {
          Tools.require("htpasswd", "apache2-utils");
          Tools.Result made = Tools.run(60, List.of("htpasswd", "-nbB", "-C", "4", username, password)).check();
          Path file = dir.resolve("htpasswd");
          Files.writeString(file, made.stdout().strip() + "\n");
          htpasswd = file.toString();
        }
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
          int port = freePort();
          Path config = dir.resolve("config.yml");
          Files.writeString(config, config(dir, port, pem, htpasswd));
          Path log = dir.resolve("registry.log");
          Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
              .redirectErrorStream(true).redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
          String host = "127.0.0.1:" + port;
          TestRegistry registry = new TestRegistry(host, dir, process, pem, username, password, true);
          try {
            registry.awaitReady();
            return registry;
          } catch (AssertionError e) {
            registry.close();
            last = e;
          }
        }
        throw last;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private String config(Path dir, int port, Pem pem, String htpasswd) {
      StringBuilder yaml = new StringBuilder();
      yaml.append("version: 0.1\n")
          .append("log:\n  level: warn\n  accesslog:\n    disabled: ").append(!accessLog).append('\n')
          .append("storage:\n  filesystem:\n    rootdirectory: ").append(quote(dir.resolve("storage"))).append('\n')
          .append("  delete:\n    enabled: true\n")
          .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
          .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
          .append("  secret: multiarch-test-fixed-secret-0123456789\n");
      if (foreignUrls) {
        yaml.append("validation:\n  manifests:\n    urls:\n      allow:\n        - '^https?://'\n");
      }
      if (pem != null) {
        yaml.append("  tls:\n    certificate: ").append(quote(pem.certificate())).append('\n')
            .append("    key: ").append(quote(pem.privateKey())).append('\n');
      }
      if (htpasswd != null) {
        yaml.append("auth:\n  htpasswd:\n    realm: multiarch-test\n    path: ").append(quote(Path.of(htpasswd)))
            .append('\n');
      } else if (tokens != null) {
        yaml.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append('\n')
            .append("    service: ").append(SERVICE).append('\n')
            .append("    issuer: ").append(ISSUER).append('\n')
            .append("    rootcertbundle: ").append(quote(tokens.signer().certificate())).append('\n');
      }
      if (proxyOf != null) {
        yaml.append("proxy:\n  remoteurl: ").append(proxyOf).append('\n');
      }
      return yaml.toString();
    }
  }

  private static String quote(Path path) {
    return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** {@code target/} of the project (surefire's basedir), where every test registry keeps its files. */
  public static Path targetDirectory() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAll())
        .connectTimeout(Duration.ofSeconds(2)).build();
    URI uri = URI.create(baseUrl() + "/v2/");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        int status = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the registry", e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the registry", e);
      }
    }
    throw new AssertionError("docker-registry on " + host + " did not answer GET /v2/ within 30 s:\n" + log());
  }

  /**
   * A repository name for a test: {@code multiarch-test/NAME} locally; on an external registry under
   * {@code MULTIARCH_TEST_REPOSITORY_PREFIX} (default {@code multiarch-test/}) and unique to this run.
   */
  public String repository(String name) {
    if (local) {
      return "multiarch-test/" + name;
    }
    String prefix = System.getenv().getOrDefault("MULTIARCH_TEST_REPOSITORY_PREFIX", "multiarch-test/");
    return prefix + name + "-" + RUN;
  }

  /** {@code 127.0.0.1:PORT} (or the external registry's host). */
  public String host() {
    return host;
  }

  public boolean isLocal() {
    return local;
  }

  public boolean isTls() {
    return tls != null;
  }

  /** {@code http://host} or {@code https://host}. */
  public String baseUrl() {
    return (tls != null || !local ? "https://" : "http://") + host;
  }

  /** The registry's TLS certificate (PEM), when it has one. */
  public Path certificate() {
    return tls == null ? null : tls.certificate();
  }

  /** A directory holding the TLS certificate as {@code ca.crt}, for {@code skopeo --cert-dir}. */
  public Path certDirectory() {
    if (tls == null) {
      return null;
    }
    Path certs = dir.resolve("certs.d");
    try {
      Files.createDirectories(certs);
      Files.copy(tls.certificate(), certs.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return certs;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** The registry's user as a credential from {@code source}, or null when it needs none. */
  public Credential credential(String source) {
    return username == null ? null : new Credential(username, password, source);
  }

  /**
   * Options for talking to this registry: plain HTTP opted in for a local plain registry (and for an
   * external one, which may use a private certificate), the test CA for a TLS one; few, short retries.
   */
  public RegistryOptions options() {
    Set<String> insecure = tls == null ? Set.of(host) : Set.of();
    List<Path> cas = tls == null ? List.of() : List.of(tls.certificate());
    return new RegistryOptions(insecure, cas, RegistryOptions.DEFAULT_CHUNK_SIZE, RegistryOptions.DEFAULT_CHUNK_SIZE,
        3, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(2), null);
  }

  /** skopeo's options to reach this registry as a source (prefix {@code src-}) or plainly ({@code ""}). */
  public List<String> skopeoOptions(String prefix) {
    List<String> args = new ArrayList<>();
    if (tls != null) {
      args.add("--" + prefix + "cert-dir=" + certDirectory());
    } else {
      args.add("--" + prefix + "tls-verify=false");
    }
    if (username != null) {
      args.add("--" + prefix + "creds=" + username + ":" + password);
    } else {
      args.add("--" + prefix + "no-creds");
    }
    return args;
  }

  /** What the registry process printed. */
  public String log() {
    if (dir == null) {
      return "";
    }
    try {
      Path log = dir.resolve("registry.log");
      return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read the log: " + e.getMessage() + ")";
    }
  }

  /**
   * Kills the registry process at once ({@code SIGKILL}, as a crash or an OOM kill would), keeping its
   * configuration, port and storage for {@link #restart}.
   */
  public void kill() {
    if (process == null) {
      throw new IllegalStateException("not a local registry");
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("docker-registry on " + host + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while killing the registry", e);
    }
  }

  /** Starts the registry again after {@link #kill}: same configuration, port and storage. */
  public void restart() {
    if (process == null) {
      throw new IllegalStateException("not a local registry");
    }
    if (process.isAlive()) {
      throw new IllegalStateException("the registry on " + host + " is still running");
    }
    try {
      process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log")
              .toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady();
  }

  /** Stops the registry process (by its PID) and waits for it. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      deleteRecursively(dir.resolve("storage")); // the blobs; config and log stay for a look after a failure
    } catch (IOException e) {
      // target/ is cleaned anyway
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }

  @Override
  public String toString() {
    return "TestRegistry[" + baseUrl() + "]";
  }

  // ---------------------------------------------------------------------------------------- certificates

  /** A self-signed certificate and its key, as PEM files (made with {@code openssl}). */
  public record Pem(Path certificate, Path privateKey) {
    /** An RSA certificate with subjectAltName DNS:localhost and IP:127.0.0.1. */
    public static Pem selfSigned(Path dir, String commonName) {
      Tools.require("openssl", "openssl");
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      Tools.run(120, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
          "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=" + commonName,
          "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")).check();
      return new Pem(cert, key);
    }

    public X509Certificate x509() {
      try (InputStream in = Files.newInputStream(certificate)) {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      } catch (Exception e) {
        throw new IllegalStateException("cannot read " + certificate, e);
      }
    }

    /** The key, which openssl 3 writes as unencrypted PKCS#8. */
    public PrivateKey key() {
      try {
        String pem = Files.readString(privateKey, StandardCharsets.US_ASCII);
        if (!pem.contains("BEGIN PRIVATE KEY")) {
          throw new IllegalStateException(privateKey + " is not an unencrypted PKCS#8 key");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
            .decode(base64)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot read " + privateKey, e);
      }
    }
  }

  /** Only for polling our own registry until it answers. */
  static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
