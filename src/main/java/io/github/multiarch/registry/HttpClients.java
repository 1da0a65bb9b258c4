package io.github.multiarch.registry;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Makes the {@link HttpClient} of one registry: TLS verified against the JDK's CAs plus the user's
 * {@code caCertificates}; verification turned off only for a host listed in {@code insecureRegistries}.
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
      if (options.isInsecure(registry)) {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        builder.sslContext(context);
      } else if (!options.caCertificates().isEmpty()) {
        builder.sslContext(withExtraAuthorities(options.caCertificates()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
    return builder.build();
  }

  private static SSLContext withExtraAuthorities(List<Path> files) throws GeneralSecurityException {
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
            + e.getMessage() + " (expected PEM-encoded X.509 certificates)", e);
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
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** Only ever used for hosts the user listed in insecureRegistries. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
