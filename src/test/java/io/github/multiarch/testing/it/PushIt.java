package io.github.multiarch.testing.it;

import static io.github.multiarch.testing.it.ItChecks.check;

import io.github.multiarch.testing.TestImages;
import io.github.multiarch.testing.TestRegistry;
import io.github.multiarch.testing.Tools;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers of the push-* integration tests (src/it/push-*): a registry per test, the properties file that hands
 * its address to the Maven run, Maven settings with an encrypted password, skopeo against the registry, and
 * checks of build.log. The hook scripts (Groovy, run by maven-invoker-plugin with the test class path) use it
 * with {@code import io.github.multiarch.testing.it.PushIt}.
 *
 * <p>setup.groovy and verify.groovy run in the JVM of the outer Maven, in class loaders of their own: what
 * setup starts (TestRegistry, TokenServer, StubProxy) is handed to verify through the JVM's system properties,
 * under a key of the test's directory. verify.groovy closes it; when the build fails before verify runs, the
 * registry's own JVM-exit hook stops the process.
 */
public final class PushIt {

  private static final Pattern PUSH_SUMMARY =
      Pattern.compile("(?m)^\\[INFO\\]   uploaded (.+?) in (\\d+) blobs, (\\d+) already there, (\\d+) mounted$");

  private PushIt() {}

  // ------------------------------------------------------------------------------ things setup hands on

  private static String key(File basedir, String name) {
    try {
      return "multiarch.it:" + basedir.getCanonicalPath() + ":" + name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> names(Object kept) {
    List<String> names = new ArrayList<>();
    if (kept instanceof List<?> list) {
      for (Object name : list) {
        names.add(String.valueOf(name));
      }
    }
    return names;
  }

  /** Keeps {@code value} (a registry, token server, stub) for verify.groovy. */
  public static <T> T keep(File basedir, String name, T value) {
    System.getProperties().put(key(basedir, name), value);
    List<String> names = names(System.getProperties().get(key(basedir, "*")));
    names.add(name);
    System.getProperties().put(key(basedir, "*"), names);
    return value;
  }

  /** What setup.groovy kept under {@code name}; fails when setup did not run or kept nothing. */
  public static Object kept(File basedir, String name) {
    Object value = System.getProperties().get(key(basedir, name));
    check(value != null, "setup.groovy kept no '" + name + "' for " + basedir);
    return value;
  }

  /** Closes everything setup kept for this test, last first; an error of one close does not stop the others. */
  public static void closeAll(File basedir) {
    List<String> names = names(System.getProperties().remove(key(basedir, "*")));
    for (int i = names.size() - 1; i >= 0; i--) {
      String name = names.get(i);
      Object value = System.getProperties().remove(key(basedir, name));
      try {
        if (value instanceof AutoCloseable closeable) {
          closeable.close();
        }
      } catch (Exception e) {
        System.out.println("closing " + name + ": " + e);
      }
    }
  }

  /** Starts a registry for this test and keeps it as 'registry'. */
  public static TestRegistry startRegistry(File basedir) {
    return startRegistry(basedir, null);
  }

  /**
   * Starts a registry for this test ({@code configure} gets the builder; when it returns a builder, that one is
   * started, else the one it got) and keeps it as 'registry'. A Groovy closure is coerced to the function.
   */
  public static TestRegistry startRegistry(File basedir, Function<? super TestRegistry.Builder, ?> configure) {
    TestRegistry.Builder builder = TestRegistry.builder("it-" + basedir.getName());
    if (configure != null) {
      Object configured = configure.apply(builder);
      if (configured instanceof TestRegistry.Builder other) {
        builder = other;
      }
    }
    TestRegistry registry = builder.start();
    keep(basedir, "registry", registry);
    System.out.println("registry " + registry.baseUrl() + " (files under " + TestRegistry.targetDirectory()
        + "/test-registries)");
    return registry;
  }

  /**
   * A port on 127.0.0.1 that nobody listens on, kept so until closeAll: a socket bound to it but not
   * listening (connections are refused, and no other program can take the port meanwhile).
   */
  public static int unusedPort(File basedir) {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException(e);
    }
    keep(basedir, "reservedPort", socket);
    return socket.getLocalPort();
  }

  /**
   * Writes user properties for the Maven run (invoker.userPropertiesFile names the file; the invoker reads it
   * after this pre-build hook, as -D options).
   */
  public static void writeProperties(File basedir, String fileName, Map<String, ?> values) {
    Properties properties = new Properties();
    // keys and values as plain objects: a Groovy map may hold GStrings and numbers
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) values).entrySet()) {
      properties.setProperty(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
    }
    File file = new File(basedir, fileName);
    try (Writer writer = new OutputStreamWriter(new FileOutputStream(file), StandardCharsets.ISO_8859_1)) {
      properties.store(writer, "written by setup.groovy");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------- settings with an encryption

  /** plexus-cipher of the Maven that runs the tests, the cipher Maven's SettingsDecrypter uses. */
  private static Object cipher() {
    String home = System.getProperty("maven.home");
    check(home != null, "maven.home is not set in the JVM that runs the hook scripts");
    File[] jars = new File(home, "lib").listFiles(
        f -> f.getName().startsWith("plexus-cipher") && f.getName().endsWith(".jar"));
    check(jars != null && jars.length > 0, "no plexus-cipher jar in " + home + "/lib");
    URL[] urls = new URL[jars.length];
    try {
      for (int i = 0; i < jars.length; i++) {
        urls[i] = jars[i].toURI().toURL();
      }
      // left open: the cipher's classes are loaded from it as they are needed
      ClassLoader loader = new URLClassLoader(urls, ClassLoader.getSystemClassLoader());
      return loader.loadClass("org.sonatype.plexus.components.cipher.DefaultPlexusCipher")
          .getConstructor().newInstance();
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make plexus-cipher's DefaultPlexusCipher of " + home + "/lib", e);
    }
  }

  /** Calls {@code method(String, String)} of the cipher, which returns a String. */
  private static String cipherCall(Object cipher, String method, String text, String passPhrase) {
    try {
      Method m = cipher.getClass().getMethod(method, String.class, String.class);
      return (String) m.invoke(cipher, text, passPhrase);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("plexus-cipher " + method + " failed: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call plexus-cipher's " + method, e);
    }
  }

  /**
   * Writes {@code settings-security.xml} (an encrypted master password, as {@code mvn --encrypt-master-password}
   * makes it) and a settings file for the invoker: the common src/it/settings.xml plus one {@code <server>} whose
   * password is encrypted with that master password (as {@code mvn --encrypt-password}). Returns the encrypted
   * password and the two files ({@code settings}, {@code security}, {@code encryptedPassword}). The settings
   * file is named after the test: the invoker interpolates it into target/it/interpolated-NAME, shared by every
   * test. invoker.properties names it as {@code ${project.build.directory}/it/TEST/settings-TEST.xml} (a
   * relative path would be taken from the directory Maven was started in).
   */
  public static Map<String, Object> writeEncryptedSettings(File basedir, String serverId, String username,
      String password) {
    Object cipher = cipher();
    String master = "it-master-" + UUID.randomUUID();
    // Maven encrypts the master password with the fixed pass phrase "settings.security"
    String encryptedMaster = cipherCall(cipher, "encryptAndDecorate", master, "settings.security");
    String encryptedPassword = cipherCall(cipher, "encryptAndDecorate", password, master);
    check(encryptedPassword.startsWith("{") && !encryptedPassword.equals("{" + password + "}"),
        "plexus-cipher did not encrypt the password: " + encryptedPassword);
    String decryptedMaster = cipherCall(cipher, "decryptDecorated", encryptedMaster, "settings.security");
    check(password.equals(cipherCall(cipher, "decryptDecorated", encryptedPassword, decryptedMaster)),
        "plexus-cipher does not decrypt the encrypted password to the password");

    try {
      File security = new File(basedir, "settings-security.xml");
      Files.writeString(security.toPath(),
          "<settingsSecurity>\n  <master>" + encryptedMaster + "</master>\n</settingsSecurity>\n",
          StandardCharsets.UTF_8);
      String common = Files.readString(new File(basedir, "../../../src/it/settings.xml").getCanonicalFile().toPath(),
          StandardCharsets.UTF_8);
      check(common.contains("</settings>"), "src/it/settings.xml has no </settings>");
      String server = "  <servers>\n"
          + "    <server>\n"
          + "      <id>" + serverId + "</id>\n"
          + "      <username>" + username + "</username>\n"
          + "      <password>" + encryptedPassword + "</password>\n"
          + "    </server>\n"
          + "  </servers>\n"
          + "</settings>";
      File settings = new File(basedir, "settings-" + basedir.getName() + ".xml");
      Files.writeString(settings.toPath(), common.replace("</settings>", server), StandardCharsets.UTF_8);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("settings", settings);
      result.put("security", security);
      result.put("encryptedPassword", encryptedPassword);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------- skopeo

  /** Runs skopeo (with a permissive policy of the tests' own) and fails unless it exits 0; returns stdout. */
  /**
   * Starts this test's registry (kept as 'registry') holding a two-platform base image in {@code base/app:1}: built
   * by the engine with {@link TestImages} under {@code base/} (a layer shared by linux/amd64 and linux/arm64 and one
   * of each platform's own, {@code seed} making its bytes) and copied there by skopeo with its digests.
   */
  public static TestRegistry startRegistryWithBase(File basedir, String seed) {
    TestRegistry registry = startRegistry(basedir);
    File base = new File(basedir, "base");
    TestImages.build(base.toPath(), "base-1", List.of("linux/amd64", "linux/arm64"), seed, 0);
    skopeo(List.of("copy", "--quiet", "--all", "--preserve-digests", "--dest-tls-verify=false", "--dest-no-creds",
        "oci:" + base + "/out/oci:base-1", "docker://" + registry.host() + "/base/app:1"));
    return registry;
  }

  public static byte[] skopeo(List<?> arguments) {
    return Tools.skopeo(strings(arguments)).check().stdoutBytes();
  }

  private static String[] strings(List<?> values) {
    return values.stream().map(String::valueOf).toArray(String[]::new);
  }

  private static List<String> inspectRaw(TestRegistry registry, String repository, String reference) {
    List<String> arguments = new ArrayList<>(List.of("inspect", "--raw"));
    arguments.addAll(registry.skopeoOptions(""));
    arguments.add("docker://" + registry.host() + "/" + repository + ":" + reference);
    return arguments;
  }

  /** The exact bytes the registry serves for {@code repository:reference}. */
  public static byte[] rawManifest(TestRegistry registry, String repository, String reference) {
    return skopeo(inspectRaw(registry, repository, reference));
  }

  /** Fails unless the registry answers that {@code repository:tag} does not exist. */
  public static void assertNoTag(TestRegistry registry, String repository, String tag) {
    Tools.Result result = Tools.skopeo(strings(inspectRaw(registry, repository, tag)));
    check(!result.ok(), repository + ":" + tag + " exists in the registry: " + result.stdout());
    check(result.stderr().contains("manifest unknown") || result.stderr().contains("name unknown"),
        "skopeo failed for another reason than a missing tag: " + result.stderr());
  }

  // ------------------------------------------------------------------------------------------- build.log

  /**
   * The push summaries of build.log, each as [bytes: '0 B', blobs: 0, present: 10, mounted: 0], in the
   * order of the runs.
   */
  public static List<Map<String, Object>> pushSummaries(String log) {
    Matcher matcher = PUSH_SUMMARY.matcher(log);
    List<Map<String, Object>> found = new ArrayList<>();
    while (matcher.find()) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("bytes", matcher.group(1));
      summary.put("blobs", Integer.valueOf(matcher.group(2)));
      summary.put("present", Integer.valueOf(matcher.group(3)));
      summary.put("mounted", Integer.valueOf(matcher.group(4)));
      found.add(summary);
    }
    return found;
  }

  /**
   * For a run that had to fail in {@code goal}: the build failed there, every expected text is in an [ERROR]
   * line, and there is no stack trace at the default log level. Returns build.log.
   */
  public static String assertFailedIn(File basedir, String goal, List<?> expected) {
    String log = ItChecks.buildLog(basedir);
    ItChecks.assertFailedIn(log, goal, expected);
    return log;
  }

  /** Fails when any of the secrets appears in build.log. */
  public static void assertNoSecrets(String log, List<?> secrets) {
    for (Object value : secrets) {
      String secret = value == null ? null : String.valueOf(value);
      check(secret != null && secret.length() >= 6, "a secret to look for must have at least 6 characters");
      check(!log.contains(secret), "build.log shows a secret (" + secret.length() + " characters starting with '"
          + secret.substring(0, 2) + "')");
    }
  }

  // --------------------------------------------------------------------------------------------- helpers

  /**
   * The index the build wrote: [digest:, bytes:, json:, metadata:] from target/multiarch (or another output
   * directory).
   */
  public static Map<String, Object> builtIndex(File outputDirectory) {
    Object parsed = ItChecks.json(new File(outputDirectory, "metadata.json"));
    check(parsed instanceof Map, outputDirectory + "/metadata.json is not a JSON object");
    Map<?, ?> metadata = (Map<?, ?>) parsed;
    Object indexDigest = metadata.get("indexDigest");
    check(indexDigest != null, "no indexDigest in " + outputDirectory + "/metadata.json");
    String digest = String.valueOf(indexDigest);
    byte[] bytes = ItChecks.blob(new File(outputDirectory, "oci"), digest);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("digest", digest);
    result.put("bytes", bytes);
    result.put("json", ItChecks.json(bytes));
    result.put("metadata", metadata);
    return result;
  }
}
