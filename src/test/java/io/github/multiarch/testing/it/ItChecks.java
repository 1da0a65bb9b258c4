package io.github.multiarch.testing.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What every helper of the hook scripts of src/it needs, written once: an assertion that shows only its
 * message, digests, JSON, blobs of a layout and the checks of a build.log that had to fail. The hook scripts
 * (Groovy, run by maven-invoker-plugin with the test class path, {@code addTestClassPath}) call these
 * classes directly: {@code import io.github.multiarch.testing.it.ItSupport}.
 */
public final class ItChecks {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  // JSON numbers as Groovy's JsonSlurper gives them (BigDecimal for fractions), so scripts compare as before;
  // a Groovy GString in a map the scripts build is written as its text, as JsonOutput wrote it
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .registerModule(new SimpleModule("groovy-strings").addSerializer(CharSequence.class, ToStringSerializer.instance));
  private static final Pattern STACK_FRAME = Pattern.compile("at [a-zA-Z_$][\\w$.]*\\(.*\\)");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

  private ItChecks() {}

  /**
   * An assertion for checks on large values (logs, file contents): Groovy's assert would print them whole;
   * this shows only the message.
   */
  public static void check(boolean ok, Object message) {
    if (!ok) {
      throw new AssertionError(String.valueOf(message));
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses JSON into maps, lists, strings, numbers and booleans. */
  public static Object json(byte[] bytes) {
    try {
      return JSON.readValue(bytes, Object.class);
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + e.getMessage() + "): "
          + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  public static Object json(File file) {
    check(file.isFile(), "missing " + file);
    return json(bytes(file));
  }

  /** Compact JSON of maps, lists and plain values, keys in their map's order. */
  public static byte[] toJson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toPrettyJson(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(File file) {
    try {
      return Files.readAllBytes(file.toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(File file, byte[] bytes) {
    try {
      File parent = file.getAbsoluteFile().getParentFile();
      Files.createDirectories(parent.toPath());
      Files.write(file.toPath(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static File blobFile(File layout, String digest) {
    return new File(layout, "blobs/" + digest.replace(':', '/'));
  }

  /** The bytes of a blob of a layout, checked against its digest. */
  public static byte[] blob(File layout, String digest) {
    return blob(layout, digest, null);
  }

  /** The bytes of a blob of a layout, checked against its digest and, when given, its size. */
  public static byte[] blob(File layout, String digest, Number size) {
    File file = blobFile(layout, digest);
    check(file.isFile(), "blob " + digest + " missing from " + layout);
    byte[] bytes = bytes(file);
    check(sha256(bytes).equals(digest), "blob " + file + " does not hash to its name");
    if (size != null) {
      check(bytes.length == size.longValue(),
          "blob " + digest + " is " + bytes.length + " bytes, its descriptor says " + size);
    }
    return bytes;
  }

  /** Writes a blob into a layout and returns its descriptor (mediaType, digest, size). */
  public static Map<String, Object> writeBlob(File layout, String mediaType, byte[] bytes) {
    String digest = sha256(bytes);
    write(blobFile(layout, digest), bytes);
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest);
    descriptor.put("size", bytes.length);
    return descriptor;
  }

  /** Deletes a directory and everything under it, symbolic links deleted, not followed; nothing when absent. */
  public static void deleteDir(File dir) {
    if (!dir.isDirectory()) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir.toPath())) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------------------ build.log

  /** build.log of a test, without terminal colour codes. */
  public static String buildLog(File basedir) {
    File file = new File(basedir, "build.log");
    check(file.isFile(), "no build.log in " + basedir);
    return ANSI.matcher(new String(bytes(file), StandardCharsets.UTF_8)).replaceAll("");
  }

  /**
   * For the log of a run that had to fail in the plugin's {@code goal}: it failed there, its [ERROR] lines
   * hold every expected text (a String, or a Pattern to find), and it shows no stack trace or exception.
   */
  public static void assertFailedIn(String log, String goal, List<?> expected) {
    assertErrorsIn(log, goal, expected);
    assertNoStackTrace(log);
  }

  /**
   * As {@link #assertFailedIn} for a run at debug level (-X), which shows the stack trace of the failure: it
   * failed in the plugin's {@code goal} and its [ERROR] lines hold every expected text.
   */
  public static void assertErrorsIn(String log, String goal, List<?> expected) {
    List<String> errors = log.lines().filter(line -> line.startsWith("[ERROR]")).toList();
    String errorText = String.join("\n", errors);
    String shown = "\n--- [ERROR] lines of the log:\n" + errorText;
    check(log.contains("BUILD FAILURE"), "the build did not fail" + shown);
    check(Pattern.compile("Failed to execute goal io\\.github\\.multiarch:multiarch-maven-plugin:[^ ]+:"
            + Pattern.quote(goal) + " ").matcher(log).find(),
        "the build failed, but not in multiarch:" + goal + shown);
    for (Object text : expected) {
      if (text instanceof Pattern pattern) {
        check(pattern.matcher(errorText).find(), "no [ERROR] line matches /" + pattern + "/" + shown);
      } else {
        check(errorText.contains(String.valueOf(text)), "no [ERROR] line says '" + text + "'" + shown);
      }
    }
  }

  /** Fails when the log shows a stack trace or an exception (the default log level shows neither). */
  public static void assertNoStackTrace(String log) {
    List<String> traces = log.lines().filter(line -> STACK_FRAME.matcher(line.trim()).matches()).limit(10).toList();
    check(traces.isEmpty(), "the log shows a stack trace at the default log level:\n" + String.join("\n", traces));
    List<String> exceptions = log.lines()
        .filter(line -> line.startsWith("[ERROR]") && (line.contains("Exception:") || line.contains("Caused by")))
        .collect(Collectors.toList());
    check(exceptions.isEmpty(),
        "the log shows an exception at the default log level:\n" + String.join("\n", exceptions));
  }
}
