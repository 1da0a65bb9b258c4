package io.github.multiarch.registry;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Makes the {@link HttpClient} of one registry: TLS verified against the JDK's CAs plus the user's
 * {@code caCertificates}; verification turned off only for the hosts listed in {@code insecureRegistries}
 * (whichever registry's client connects to them), never for another host.
 * Redirects are never followed automatically, so Authorization cannot leak to another host.
 */
final class HttpClients {
  private HttpClients() {}

  static HttpClient create(String registry, RegistryOptions options) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(options.connectTimeout());
    if (options.proxy() != null) {
      builder.proxy(options.proxy());
    }
    try {
      // the CA files are read whether or not this registry needs them: a broken file is bad input, said so at once
      TrustManagerFactory verified = options.caCertificates().isEmpty() ? null
          : withExtraAuthorities(options.caCertificates());
      if (verified != null || !options.insecureRegistries().isEmpty()) {
        if (verified == null) {
          verified = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          verified.init((KeyStore) null);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new SelectiveTrust(extended(verified), options)}, null);
        builder.sslContext(context);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
    return builder.build();
  }

  private static X509ExtendedTrustManager extended(TrustManagerFactory factory) throws GeneralSecurityException {
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static TrustManagerFactory withExtraAuthorities(List<Path> files) throws GeneralSecurityException {
    TrustManagerFactory jdkFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdkFactory.init((KeyStore) null);
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    int n = 0;
    for (TrustManager tm : jdkFactory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        for (X509Certificate cert : x509.getAcceptedIssuers()) {
          store.setCertificateEntry("jdk-" + n++, cert);
        }
      }
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
    private final X509ExtendedTrustManager verified;
    private final RegistryOptions options;

    SelectiveTrust(X509ExtendedTrustManager verified, RegistryOptions options) {
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
      verified.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
          && isInsecure(ssl.getHandshakeSession().getPeerHost(), ssl.getHandshakeSession().getPeerPort())) {
        return;
      }
      verified.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      verified.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      verified.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      verified.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      verified.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return verified.getAcceptedIssuers();
    }
  }
}
