package io.github.multiarch.testing.it;

import static io.github.multiarch.testing.it.ItChecks.OCI_CONFIG;
import static io.github.multiarch.testing.it.ItChecks.OCI_INDEX;
import static io.github.multiarch.testing.it.ItChecks.OCI_MANIFEST;
import static io.github.multiarch.testing.it.ItChecks.REF_NAME;
import static io.github.multiarch.testing.it.ItChecks.check;
import static io.github.multiarch.testing.it.ItChecks.deleteDir;
import static io.github.multiarch.testing.it.ItChecks.json;
import static io.github.multiarch.testing.it.ItChecks.writeBlob;

import io.github.multiarch.testing.OciSchemas;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Helpers of the hook scripts of src/it (the Groovy setup and verify scripts maven-invoker-plugin runs with
 * the test class path, {@code addTestClassPath}): the platforms the tests know, the external programs they
 * run (compilers, qemu-user, skopeo, umoci, file), OCI layouts read and written by hand, and the checks of a
 * build that had to be refused. A script uses it with {@code import io.github.multiarch.testing.it.ItSupport}.
 *
 * <p>Lists of a script may hold GStrings, so the command and environment parameters are {@code List<?>} and
 * every element is turned into a String. The maps are {@code java.util.Map}s that keep their keys' order;
 * the scripts read them with property syntax. What is common with the other helpers (digests, JSON, blobs,
 * build.log) lives in {@link ItChecks}, which the scripts call directly.
 */
public final class ItSupport {
  /** The Debian package of every program the tests run. */
  public static final Map<String, String> PACKAGES = packages();

  /**
   * What the tests know of each platform: the compiler of common/hello.c and its flags, the qemu-user
   * emulator that runs the result, what {@code file} says about it, and the {platform} slug of the plugin.
   * Keys of each entry: arch, variant (null when the platform has none), slug, cc, cflags, qemu, file.
   */
  public static final Map<String, Map<String, Object>> PLATFORMS = platforms();

  private static final long TIMEOUT_SECONDS = 180;

  private ItSupport() {}

  private static Map<String, String> packages() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gcc", "gcc");
    m.put("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
    m.put("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf");
    m.put("powerpc64le-linux-gnu-gcc", "gcc-powerpc64le-linux-gnu");
    m.put("s390x-linux-gnu-gcc", "gcc-s390x-linux-gnu");
    m.put("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64");
    m.put("qemu-x86_64-static", "qemu-user-static");
    m.put("qemu-aarch64-static", "qemu-user-static");
    m.put("qemu-arm-static", "qemu-user-static");
    m.put("qemu-ppc64le-static", "qemu-user-static");
    m.put("qemu-s390x-static", "qemu-user-static");
    m.put("skopeo", "skopeo");
    m.put("umoci", "umoci");
    m.put("file", "file");
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, Map<String, Object>> platforms() {
    Map<String, Map<String, Object>> m = new LinkedHashMap<>();
    m.put("linux/amd64", platformData("amd64", null, "linux-amd64", "gcc", List.of(),
        "qemu-x86_64-static", List.of("64-bit LSB", "x86-64")));
    m.put("linux/arm64", platformData("arm64", "v8", "linux-arm64", "aarch64-linux-gnu-gcc", List.of(),
        "qemu-aarch64-static", List.of("64-bit LSB", "ARM aarch64")));
    m.put("linux/arm/v7", platformData("arm", "v7", "linux-arm-v7", "arm-linux-gnueabihf-gcc", List.of(),
        "qemu-arm-static", List.of("32-bit LSB", "ARM, EABI5")));
    m.put("linux/arm/v6", platformData("arm", "v6", "linux-arm-v6", "arm-linux-gnueabihf-gcc",
        List.of("-march=armv6+fp", "-marm"), "qemu-arm-static", List.of("32-bit LSB", "ARM, EABI5")));
    m.put("linux/ppc64le", platformData("ppc64le", null, "linux-ppc64le", "powerpc64le-linux-gnu-gcc", List.of(),
        "qemu-ppc64le-static", List.of("64-bit LSB", "64-bit PowerPC")));
    m.put("linux/s390x", platformData("s390x", null, "linux-s390x", "s390x-linux-gnu-gcc", List.of(),
        "qemu-s390x-static", List.of("64-bit MSB", "IBM S/390")));
    // a PE executable: no emulator here runs it (a Windows container host does)
    m.put("windows/amd64", platformData("amd64", null, "windows-amd64", "x86_64-w64-mingw32-gcc", List.of(), null,
        List.of("PE32+ executable", "x86-64")));
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, Object> platformData(String arch, String variant, String slug, String cc,
      List<String> cflags, String qemu, List<String> file) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("arch", arch);
    p.put("variant", variant);
    p.put("slug", slug);
    p.put("cc", cc);
    p.put("cflags", cflags);
    p.put("qemu", qemu);
    p.put("file", file);
    return Collections.unmodifiableMap(p);
  }

  /** src/it/common (hello.c, the program the tests cross-compile) seen from the clone of a test under target/it. */
  public static File commonDir(File basedir) {
    File dir;
    try {
      dir = new File(basedir, "../../../src/it/common").getCanonicalFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    check(new File(dir, "hello.c").isFile(), "src/it/common not found from " + basedir);
    return dir;
  }

  /** Fails unless the two files (or a file and bytes) hold the same bytes. */
  public static void checkSameBytes(Object actual, Object expected, Object message) {
    byte[] a = toBytes(actual);
    byte[] e = toBytes(expected);
    check(Arrays.equals(a, e), message + " (" + a.length + " and " + e.length + " bytes differ)");
  }

  private static byte[] toBytes(Object value) {
    if (value instanceof File file) {
      return ItChecks.bytes(file);
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof Collection<?> numbers) {
      byte[] bytes = new byte[numbers.size()];
      int i = 0;
      for (Object n : numbers) {
        bytes[i++] = ((Number) n).byteValue();
      }
      return bytes;
    }
    throw new IllegalArgumentException("neither a File nor bytes: " + value);
  }

  /** The test data of a platform such as linux/arm64 (see {@link #PLATFORMS}); fails for an unknown one. */
  public static Map<String, Object> platform(String name) {
    Map<String, Object> p = PLATFORMS.get(name);
    check(p != null, "no test data for platform " + name);
    return p;
  }

  // ---------------------------------------------------------------------------------------- programs

  /** Fails, naming the Debian package to install, unless every program is on the PATH. */
  public static void requireTools(Collection<?> programs) {
    List<String> missing = programs.stream().map(String::valueOf).filter(p -> findOnPath(p) == null).toList();
    if (!missing.isEmpty()) {
      Set<String> packages = new TreeSet<>();
      for (String program : missing) {
        String pkg = PACKAGES.get(program);
        packages.add(pkg != null && !pkg.isEmpty() ? pkg : program);
      }
      String names = String.join(" ", packages);
      throw new AssertionError("required programs missing: " + String.join(", ", missing)
          + "; install the Debian packages " + names + " (apt-get install -y " + names
          + "), as src/test/tools/ensure-test-tools.sh does");
    }
  }

  /** The executable file {@code program} in a directory of the PATH, or null. */
  public static File findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null || path.isEmpty()) {
      path = "/usr/bin:/bin";
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.isFile() && f.canExecute()) {
        return f;
      }
    }
    return null;
  }

  /** Runs a program, fails unless it exits 0, and returns its standard output as bytes. */
  public static byte[] runBytes(List<?> command) {
    return runBytes(command, null);
  }

  /**
   * Runs a program in {@code dir} (null: the current directory), fails unless it exits 0 within 180 s, and
   * returns its standard output as bytes.
   */
  public static byte[] runBytes(List<?> command, File dir) {
    List<String> args = strings(command);
    String shown = String.join(" ", args);
    if (!args.get(0).contains("/")) {
      requireTools(List.of(args.get(0)));
    }
    ProcessBuilder pb = new ProcessBuilder(args);
    if (dir != null) {
      pb.directory(dir);
    }
    File err = null;
    try {
      err = File.createTempFile("it-stderr", ".txt");
      pb.redirectError(err);
      Process process = pb.start();
      process.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      IOException[] readFailure = new IOException[1];
      Thread reader = new Thread(() -> {
        try (InputStream in = process.getInputStream()) {
          in.transferTo(out);
        } catch (IOException e) {
          readFailure[0] = e;
        }
      }, "it-stdout");
      reader.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + shown);
      }
      reader.join();
      if (readFailure[0] != null) {
        throw new UncheckedIOException(readFailure[0]);
      }
      String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError("exit " + process.exitValue() + ": " + shown + "\nstdout: "
            + out.toString(StandardCharsets.UTF_8) + "\nstderr: " + stderr);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + shown, e);
    } finally {
      if (err != null) {
        err.delete();
      }
    }
  }

  /** Runs a program, fails unless it exits 0, and returns its standard output (UTF-8). */
  public static String run(List<?> command) {
    return run(command, null);
  }

  /** Runs a program in {@code dir}, fails unless it exits 0, and returns its standard output (UTF-8). */
  public static String run(List<?> command, File dir) {
    return new String(runBytes(command, dir), StandardCharsets.UTF_8);
  }

  // -------------------------------------------------------------------------------- native binaries

  /** Compiles common/hello.c statically for a platform into {@code output}. */
  public static void compileHello(File basedir, String platformName, File output) {
    Map<String, Object> p = platform(platformName);
    String cc = (String) p.get("cc");
    requireTools(List.of(cc));
    output.getAbsoluteFile().getParentFile().mkdirs();
    List<Object> command = new ArrayList<>(List.of(cc, "-static", "-O2"));
    command.addAll((List<?>) p.get("cflags"));
    command.addAll(List.of("-o", output.getPath(), new File(commonDir(basedir), "hello.c").getPath()));
    run(command);
    check(output.isFile() && output.length() > 0, "compiling hello.c for " + platformName + " wrote no " + output);
  }

  /** Runs a static binary natively when the host is its architecture, otherwise under qemu-user. */
  public static String runBinary(File binary, String platformName) {
    Map<String, Object> p = platform(platformName);
    String hostArch = System.getProperty("os.arch");
    boolean nativeHost = "amd64".equals(p.get("arch")) && ("amd64".equals(hostArch) || "x86_64".equals(hostArch));
    List<String> command = nativeHost ? List.of(binary.getPath()) : List.of((String) p.get("qemu"), binary.getPath());
    return run(command).trim();
  }

  /**
   * Runs {@code command} inside an unpacked image root as a container runtime would start it: with only the
   * given environment, in mount and PID namespaces of its own with /proc mounted (the JVM and the dynamic
   * loader's $ORIGIN read it), chrooted to {@code rootfs}. Needs root. Returns standard output.
   */
  public static String runInRoot(File rootfs, List<?> environment, List<?> command) {
    File proc = new File(rootfs, "proc");
    proc.mkdirs();
    List<Object> full = new ArrayList<>(List.of("/usr/bin/env", "-i"));
    full.addAll(environment);
    full.addAll(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "--mount-proc=" + proc.getPath(),
        "/usr/sbin/chroot", rootfs.getPath()));
    full.addAll(command);
    return run(full);
  }

  /** Asserts that {@code file} describes the binary as a static executable of the platform's machine. */
  public static void assertMachine(File binary, String platformName) {
    String description = run(List.of("file", "-b", binary.getPath())).trim();
    for (Object expected : (List<?>) platform(platformName).get("file")) {
      check(description.contains(String.valueOf(expected)), "file says '" + description + "' of " + binary
          + ", expected '" + expected + "' for " + platformName);
    }
    check(description.contains("statically linked"), "file says '" + description + "' of " + binary);
  }

  // ------------------------------------------------------------------------------------- OCI layouts

  /** The descriptor of a tag in a layout's index.json. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> tagDescriptor(File layout, String tag) {
    Map<String, Object> index = (Map<String, Object>) json(new File(layout, "index.json"));
    List<Map<String, Object>> matches = new ArrayList<>();
    Object manifests = index.get("manifests");
    if (manifests instanceof List<?> list) {
      for (Object entry : list) {
        Map<String, Object> descriptor = (Map<String, Object>) entry;
        Object annotations = descriptor.get("annotations");
        if (annotations instanceof Map<?, ?> a && Objects.equals(tag, a.get(REF_NAME))) {
          matches.add(descriptor);
        }
      }
    }
    check(matches.size() == 1, "tag " + tag + ": " + matches.size() + " entries in " + layout + "/index.json: "
        + index);
    return matches.get(0);
  }

  /** skopeo's platform selection arguments for a platform. */
  public static List<String> skopeoPlatform(String platformName) {
    Map<String, Object> p = platform(platformName);
    List<String> args = new ArrayList<>(List.of("--override-os", "linux", "--override-arch", (String) p.get("arch")));
    String variant = (String) p.get("variant");
    if (variant != null && !variant.isEmpty()) {
      args.addAll(List.of("--override-variant", variant));
    }
    return args;
  }

  /** The exact config bytes skopeo selects for a platform of a multi-platform tag. */
  public static byte[] skopeoConfig(File layout, String tag, String platformName) {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--config"));
    command.addAll(skopeoPlatform(platformName));
    command.add("oci:" + layout.getPath() + ":" + tag);
    return runBytes(command);
  }

  /**
   * Copies one platform out of a multi-platform layout with skopeo (umoci 0.4 cannot open an index) and
   * unpacks it with umoci; returns the root file system.
   */
  public static File unpack(File layout, String tag, String platformName, File workDir) {
    String slug = (String) platform(platformName).get("slug");
    File copy = new File(workDir, "image-" + slug);
    File bundle = new File(workDir, "bundle-" + slug);
    workDir.mkdirs();
    deleteDir(copy);
    deleteDir(bundle);
    List<String> skopeo = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    skopeo.addAll(skopeoPlatform(platformName));
    skopeo.addAll(List.of("oci:" + layout.getPath() + ":" + tag, "oci:" + copy.getPath() + ":x"));
    run(skopeo);
    run(List.of("umoci", "unpack", "--rootless", "--image", copy.getPath() + ":x", bundle.getPath()));
    File rootfs = new File(bundle, "rootfs");
    check(rootfs.isDirectory(), "umoci unpacked no rootfs into " + bundle);
    return rootfs;
  }

  /** Validates a layout against the OCI image-spec schemas the project carries (src/test/resources/oci-schemas). */
  public static void validateSchemas(File layout, Object ociSchemasDir) {
    check(ociSchemasDir != null, "the invoker configuration passes no ociSchemasDir script variable");
    System.setProperty("oci.schemas.dir", ociSchemasDir.toString());
    int count;
    try {
      count = OciSchemas.load().validateLayout(layout.toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    check(count >= 3, "OCI schema validation of " + layout + " saw only " + count + " documents");
    System.out.println("OCI schema validation: " + count + " documents of " + layout + " valid");
  }

  /**
   * Writes a small multi-platform OCI layout by hand (no layers, a config per platform), for tests that only
   * need a base to choose from: {@code platforms} are index entries such as linux/amd64.
   */
  public static void writeMinimalLayout(File dir, String tag, List<?> platforms) {
    deleteDir(dir);
    new File(dir, "blobs/sha256").mkdirs();
    ItChecks.write(new File(dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Object name : platforms) {
      Map<String, Object> p = platform(String.valueOf(name));
      Map<String, Object> platformJson = new LinkedHashMap<>();
      platformJson.put("os", "linux");
      platformJson.put("architecture", p.get("arch"));
      String variant = (String) p.get("variant");
      if (variant != null && !variant.isEmpty()) {
        platformJson.put("variant", variant);
      }
      Map<String, Object> rootfs = new LinkedHashMap<>();
      rootfs.put("type", "layers");
      rootfs.put("diff_ids", List.of());
      Map<String, Object> config = new LinkedHashMap<>(platformJson);
      config.put("rootfs", rootfs);
      config.put("config", Collections.singletonMap("Env", List.of("BASE=1")));
      Map<String, Object> configDescriptor = writeBlob(dir, OCI_CONFIG, ItChecks.toJson(config));
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", OCI_MANIFEST);
      manifest.put("config", configDescriptor);
      manifest.put("layers", List.of());
      Map<String, Object> manifestDescriptor = writeBlob(dir, OCI_MANIFEST, ItChecks.toJson(manifest));
      Map<String, Object> entry = new LinkedHashMap<>(manifestDescriptor);
      entry.put("platform", platformJson);
      entries.add(entry);
    }
    writeIndex(dir, tag, entries);
  }

  /** Writes an OCI index over {@code entries} as a blob and names it {@code tag} in index.json. */
  public static Map<String, Object> writeIndex(File dir, String tag, List<?> entries) {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    index.put("manifests", entries);
    Map<String, Object> descriptor = writeBlob(dir, OCI_INDEX, ItChecks.toJson(index));
    Map<String, Object> named = new LinkedHashMap<>(descriptor);
    named.put("annotations", Collections.singletonMap(REF_NAME, tag));
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("schemaVersion", 2);
    top.put("mediaType", OCI_INDEX);
    top.put("manifests", List.of(named));
    ItChecks.write(new File(dir, "index.json"), ItChecks.toJson(top));
    return descriptor;
  }

  // -------------------------------------------------------------------------------------- bad input

  /**
   * For a build that had to fail on bad input: build.log names the plugin's goal as failed, its [ERROR] lines
   * hold every expected text (a String, or a Pattern to find), it shows no stack trace of ours, and the plugin wrote
   * nothing.
   */
  public static void assertRefused(File basedir, List<?> expected) {
    String log = ItChecks.buildLog(basedir);
    ItChecks.assertFailedIn(log, "build", expected);
    File output = new File(basedir, "target/multiarch");
    check(!output.exists(), "the refused build left " + output + " behind: " + Arrays.toString(output.list()));
  }

  // ------------------------------------------------------------------------------------------- private

  private static List<String> strings(Collection<?> values) {
    return values.stream().map(String::valueOf).collect(Collectors.toList());
  }

}
