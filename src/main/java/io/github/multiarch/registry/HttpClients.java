package io.github.multiarch.registry;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Makes the {@link HttpClient} of one registry: TLS verified against the JDK's CAs plus the user's
 * {@code caCertificates}; verification turned off only for the hosts listed in {@code insecureRegistries}
 * (whichever registry's client connects to them), never for another host.
 * Redirects are never followed automatically, so Authorization cannot leak to another host.
 */
final class HttpClients {
  private HttpClients() {}

  static HttpClient create(String registry, RegistryOptions options) {
    return create(registry, options, HttpClients::jdkTrust);
  }

  /** {@code jdkTrust} gives the JDK's trust manager; asked at most once, at the first TLS handshake. */
  static HttpClient create(String registry, RegistryOptions options, Supplier<X509ExtendedTrustManager> jdkTrust) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(options.connectTimeout());
    if (options.proxy() != null) {
      builder.proxy(options.proxy());
    }
    try {
      // the CA files are read whether or not this registry needs them: a broken file is bad input, said so at once
      TrustManagerFactory withExtraCas = options.caCertificates().isEmpty() ? null
          : withExtraAuthorities(options.caCertificates());
      boolean clientCertificate = System.getProperty("javax.net.ssl.keyStore") != null;
      if (withExtraCas != null || !options.insecureRegistries().isEmpty() || !clientCertificate) {
        // The JDK's trust store (about 150 certificates) is parsed at the first TLS handshake, not here: a
        // plain-HTTP registry never pays for it. With javax.net.ssl.keyStore set (a client certificate) and
        // nothing of ours to add, the JDK's default context is kept, as it is the one that reads that key store.
        Supplier<X509ExtendedTrustManager> verified = withExtraCas != null ? memoize(() -> extended(withExtraCas))
            : memoize(jdkTrust);
        // Likewise JSSE itself (some 600 classes) is set up at the first handshake. Empty SSLParameters
        // mean "the context's defaults" to the engine; asking the context for its defaults here would set
        // it up at once.
        builder.sslContext(new LazySslContext(memoize(() -> tlsContext(new SelectiveTrust(verified, options)))))
            .sslParameters(new SSLParameters());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
    return builder.build();
  }

  /**
   * A request to {@code uri}: HTTP/1.1 over plain HTTP, the client's default (HTTP/2 where TLS's ALPN agrees to it,
   * else HTTP/1.1) over HTTPS. The JDK's default for plain HTTP offers an upgrade to HTTP/2 ({@code Upgrade: h2c},
   * RFC 7540 section 3.2) in every request without a body; registries do not take it (Go's net/http serves h2c
   * only through an explicit handler, which distribution does not install), so the offer is only work on both
   * sides: 60 HEADs of a cold JVM cost it 260–350 ms of CPU as HTTP/1.1 against 420–500 ms with the offer.
   */
  static HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    return "http".equals(uri.getScheme()) ? builder.version(HttpClient.Version.HTTP_1_1) : builder;
  }

  private static SSLContext tlsContext(TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /** An {@link SSLContext} that makes the real one when it is first used for a connection. */
  static final class LazySslContext extends SSLContext {
    LazySslContext(Supplier<SSLContext> real) {
      super(new SSLContextSpi() {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
          throw new UnsupportedOperationException("set up when first used");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
          return real.get().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
          return real.get().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
          return real.get().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
          return real.get().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
          return real.get().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
          return real.get().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
          return real.get().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
          return real.get().getSupportedSSLParameters();
        }
      }, null, "TLS");
    }
  }

  /**
   * Stops the client's selector thread. The JDK's client keeps one thread per client blocked in the
   * selector (in native code) until the client is garbage collected; HotSpot waits up to 300 ms for
   * threads in native code before the JVM exits, so a goal that leaves a client open makes every
   * {@code mvn} run 0.3 s longer. JDK 21+ has {@code shutdownNow()}; on JDK 17-20 the selector thread,
   * named after the client's id (which the client's {@code toString()} ends with, for this purpose), is
   * interrupted, which makes it close the selector and every connection and end. Only for a client that
   * nobody uses any more.
   */
  static void shutdown(HttpClient client) {
    try {
      HttpClient.class.getMethod("shutdownNow").invoke(client);
      return;
    } catch (NoSuchMethodException e) {
      // JDK 17-20: below
    } catch (ReflectiveOperationException | RuntimeException e) {
      return; // nothing worse than the 0.3 s at exit
    }
    Matcher id = CLIENT_ID.matcher(client.toString());
    if (!id.find()) {
      return;
    }
    String selector = "HttpClient-" + id.group(1) + "-SelectorManager";
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      if (selector.equals(threads[i].getName()) && threads[i].isDaemon()) {
        threads[i].interrupt();
      }
    }
  }

  private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

  /** The JDK's own trust manager: its CAs, or those of {@code javax.net.ssl.trustStore}. */
  static X509ExtendedTrustManager jdkTrust() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return extended(factory);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JDK's trusted certificate authorities", e);
    }
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public T get() {
        T result = value;
        if (result == null) {
          synchronized (this) {
            result = value;
            if (result == null) {
              result = supplier.get();
              value = result;
            }
          }
        }
        return result;
      }
    };
  }

  private static X509ExtendedTrustManager extended(TrustManagerFactory factory) {
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JDK's trust manager factory gave no X.509 trust manager");
  }

  private static TrustManagerFactory withExtraAuthorities(List<Path> files) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    int n = 0;
    for (X509Certificate cert : jdkTrust().getAcceptedIssuers()) {
      store.setCertificateEntry("jdk-" + n++, cert);
    }
    CertificateFactory certificates = CertificateFactory.getInstance("X.509");
    for (Path file : files) {
      List<Certificate> loaded = new ArrayList<>();
      try (InputStream in = Files.newInputStream(file)) {
        loaded.addAll(certificates.generateCertificates(in));
      } catch (IOException | GeneralSecurityException e) {
        throw new InvalidInputException("caCertificates", "cannot read CA certificates from " + file + ": "
            + reason(e) + " (expected PEM-encoded X.509 certificates)", e);
      }
      if (loaded.isEmpty()) {
        throw new InvalidInputException("caCertificates", file + " holds no PEM certificate");
      }
      for (Certificate cert : loaded) {
        store.setCertificateEntry("user-" + n++, cert);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /** The innermost message, without the exception class names the JDK puts in front ("java.io.IOException: "). */
  private static String reason(Throwable e) {
    Throwable innermost = e;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    String message = innermost.getMessage() != null ? innermost.getMessage() : e.getMessage();
    if (message == null || message.isBlank()) {
      return innermost.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("(?<=[a-z])(?=[A-Z])", " ")
          .toLowerCase(java.util.Locale.ROOT);
    }
    return message.replaceAll("^([\\w.$]+(Exception|Error): )+", "");
  }

  /**
   * Verifies every server (certificate chain and host name, by the JDK's trust manager with the extra CAs)
   * except the hosts listed in {@code insecureRegistries}, and only those: a registry that was opted in does
   * not take the hosts it sends the client to (blob storage, its token service) out of verification with it.
   */
  static final class SelectiveTrust extends X509ExtendedTrustManager {
    private final Supplier<X509ExtendedTrustManager> verified;
    private final RegistryOptions options;

    SelectiveTrust(Supplier<X509ExtendedTrustManager> verified, RegistryOptions options) {
      this.verified = verified;
      this.options = options;
    }

    /** {@code host:port} or, on the default port 443, also {@code host}, as the user wrote it. */
    boolean isInsecure(String host, int port) {
      if (host == null) {
        return false;
      }
      return options.isInsecure(host + ":" + port) || ((port == 443 || port <= 0) && options.isInsecure(host));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      if (engine != null && isInsecure(engine.getPeerHost(), engine.getPeerPort())) {
        return;
      }
      verified.get().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
          && isInsecure(ssl.getHandshakeSession().getPeerHost(), ssl.getHandshakeSession().getPeerPort())) {
        return;
      }
      verified.get().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      verified.get().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      verified.get().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      verified.get().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      verified.get().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return verified.get().getAcceptedIssuers();
    }
  }
}
