package io.github.multiarch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Relays TCP connections from {@code 127.0.0.1:PORT} to a target, byte for byte, and records the first
 * bytes each client sent: enough to tell a TLS handshake ({@code 0x16 0x03}) from a plain HTTP request.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final List<byte[]> openings = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final boolean rejectTls;
  private volatile String resetMarker;
  private volatile long resetAfterBytes;
  private final java.util.concurrent.atomic.AtomicInteger resetsLeft = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger resets = new java.util.concurrent.atomic.AtomicInteger();

  private TcpRelay(ServerSocket server, String targetHost, int targetPort, boolean rejectTls) {
    this.server = server;
    this.rejectTls = rejectTls;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** Relays to {@code host:port}. */
  public static TcpRelay start(String hostAndPort) {
    return start(hostAndPort, false);
  }

  /**
   * Relays to {@code host:port}, but hangs up at once on a connection that starts a TLS handshake, the way
   * a plain HTTP registry answers one (a JDK HttpServer would wait for the end of a request line instead).
   */
  public static TcpRelay start(String hostAndPort, boolean rejectTls) {
    int colon = hostAndPort.lastIndexOf(':');
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      TcpRelay relay = new TcpRelay(server, hostAndPort.substring(0, colon),
          Integer.parseInt(hostAndPort.substring(colon + 1)), rejectTls);
      Thread acceptor = new Thread(relay::accept, "tcp-relay");
      acceptor.setDaemon(true);
      acceptor.start();
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The first bytes (up to 8) of every connection that sent something. */
  public List<byte[]> openings() {
    synchronized (openings) {
      return List.copyOf(openings);
    }
  }

  /** Whether any connection started with a plain-text HTTP request. */
  public boolean sawPlainHttp() {
    return openings().stream().anyMatch(b -> {
      String start = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
      return start.matches("(?s)(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) .*");
    });
  }

  /** Whether every connection that sent something started with a TLS handshake record. */
  public boolean onlyTls() {
    return openings().stream().allMatch(b -> b.length >= 2 && b[0] == 0x16 && b[1] == 0x03);
  }

  /**
   * Breaks the next {@code times} connections that send {@code marker} (e.g. {@code "PUT /v2/"}): once
   * {@code afterBytes} more bytes of that request have been relayed, both sides are reset ({@code RST}), in
   * the middle of the request body when the request is larger.
   */
  public void resetRequests(String marker, long afterBytes, int times) {
    this.resetAfterBytes = afterBytes;
    this.resetsLeft.set(times);
    this.resetMarker = marker;
  }

  /** How many connections {@link #resetRequests} broke. */
  public int resets() {
    return resets.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        start(() -> pump(client, upstream, true));
        start(() -> pump(upstream, client, false));
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection close
      }
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "tcp-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to, boolean record) {
    byte[] buffer = new byte[8192];
    boolean first = record;
    long armedBytes = -1;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        String marker = resetMarker;
        if (record && marker != null && n > 0) {
          if (armedBytes < 0 && resetsLeft.get() > 0
              && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker)) {
            armedBytes = 0;
          }
          if (armedBytes >= 0) {
            armedBytes += n;
            if (armedBytes >= resetAfterBytes && resetsLeft.getAndDecrement() > 0) {
              resets.incrementAndGet();
              reset(from);
              reset(to);
              return;
            }
          }
        }
        if (first && n > 0) {
          openings.add(Arrays.copyOf(buffer, Math.min(n, 8)));
          first = false;
          if (rejectTls && buffer[0] == 0x16) {
            return;
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Closes with an RST instead of a FIN, as a crashed peer or a middlebox dropping the connection does. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing to do
    }
    synchronized (sockets) {
      sockets.forEach(TcpRelay::closeQuietly);
    }
  }
}
