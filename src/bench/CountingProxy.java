import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of the benchmark's registry that counts the bytes each way, so that
 * "bytes uploaded" is measured on the wire for every tool alike (HTTP headers included) rather than taken
 * from a tool's own report. It forwards bytes unchanged and parses nothing.
 *
 * <p>{@code java CountingProxy.java LISTEN_PORT UPSTREAM_PORT CONTROL_PORT}: a connection to the control
 * port gets one line {@code UP DOWN CONNECTIONS} (the totals so far) and is closed. It stops by itself
 * after 6 hours, or when its standard input closes if started with {@code --stdin-lifetime}.
 */
public final class CountingProxy {
  private static final AtomicLong UP = new AtomicLong();
  private static final AtomicLong DOWN = new AtomicLong();
  private static final AtomicLong CONNECTIONS = new AtomicLong();

  public static void main(String[] args) throws IOException {
    int listen = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    int control = Integer.parseInt(args[2]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ServerSocket controlSocket = new ServerSocket(control, 50, loopback);
    ServerSocket server = new ServerSocket(listen, 200, loopback);
    daemon(() -> {
      while (true) {
        try (Socket s = controlSocket.accept(); OutputStream out = s.getOutputStream()) {
          out.write((UP.get() + " " + DOWN.get() + " " + CONNECTIONS.get() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // next
        }
      }
    });
    Thread stopper = daemon(() -> {
      try {
        Thread.sleep(6L * 3600 * 1000);
      } catch (InterruptedException ignored) {
        // stop anyway
      }
      System.exit(0);
    });
    stopper.setName("lifetime");
    System.out.println("counting proxy 127.0.0.1:" + listen + " -> 127.0.0.1:" + upstream + ", control " + control);
    System.out.flush();
    while (true) {
      Socket client = server.accept();
      CONNECTIONS.incrementAndGet();
      daemon(() -> {
        try {
          Socket target = new Socket();
          target.connect(new InetSocketAddress(loopback, upstream), 5000);
          client.setTcpNoDelay(true);
          target.setTcpNoDelay(true);
          Thread back = daemon(() -> pump(target, client, DOWN));
          pump(client, target, UP);
          back.join();
        } catch (IOException | InterruptedException e) {
          closeQuietly(client);
        }
      });
    }
  }

  private static void pump(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[256 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        counter.addAndGet(n);
      }
    } catch (IOException e) {
      // the other side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closed
    }
  }
}
