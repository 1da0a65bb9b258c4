package io.github.multiarch.maven;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.maven.settings.Settings;

/**
 * The active {@code <proxy>} of Maven's settings as a {@link ProxySelector}: used for HTTP and HTTPS
 * unless the host matches {@code nonProxyHosts} ({@code |}-separated, {@code *} wildcards). A proxy user name
 * and password are not passed on (the caller warns about it).
 */
final class SettingsProxies {
  private SettingsProxies() {}

  static ProxySelector of(Settings settings) {
    if (settings == null) {
      return null;
    }
    org.apache.maven.settings.Proxy active = settings.getActiveProxy();
    if (active == null || active.getHost() == null) {
      return null;
    }
    Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(active.getHost(), active.getPort()));
    Pattern nonProxy = nonProxyPattern(active.getNonProxyHosts());
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return nonProxy != null && nonProxy.matcher(host).matches() ? List.of(Proxy.NO_PROXY) : List.of(proxy);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // nothing to remember: the request fails with its own message
      }
    };
  }

  private static Pattern nonProxyPattern(String nonProxyHosts) {
    if (nonProxyHosts == null || nonProxyHosts.isBlank()) {
      return null;
    }
    StringBuilder regex = new StringBuilder();
    for (String host : nonProxyHosts.split("[|,]")) {
      if (host.isBlank()) {
        continue;
      }
      regex.append(regex.length() > 0 ? "|" : "")
          .append(Pattern.quote(host.trim().toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q"));
    }
    return Pattern.compile(regex.toString());
  }
}
