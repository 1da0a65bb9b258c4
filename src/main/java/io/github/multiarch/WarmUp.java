package io.github.multiarch;

import io.github.multiarch.oci.OciJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Loads, on a thread of its own, the classes nearly every goal needs soon but not first: the JSON parser and
 * writer (several hundred classes), SHA-256 and the HTTP client's request classes. A goal starts with work
 * that needs none of them (reading its configuration, listing a Java application's files, finding credentials),
 * so on a machine with a second core their loading is done by the time they are used; on one core it costs
 * nothing more than loading them when first used.
 */
public final class WarmUp {
  private WarmUp() {}

  public static void start(Timings timings) {
    Thread thread = new Thread(() -> {
      try (Timings.Running phase = timings.start("classes loaded ahead (JSON, SHA-256, HTTP)")) {
        OciJson.toBytes(OciJson.parseObject("{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8),
            "warm-up"));
        MessageDigest.getInstance("SHA-256").digest(new byte[1]);
        HttpRequest.newBuilder(URI.create("http://localhost/v2/")).GET().build();
      } catch (NoSuchAlgorithmException | RuntimeException | LinkageError e) {
        // only an optimisation: whatever failed here fails again, with its real message, where it is used; and a
        // goal that ended first (bad input) may have had its class loader closed by Maven under this thread
      }
    }, "multiarch-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }
}
