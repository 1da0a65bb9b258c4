package io.github.multiarch.check;

import io.github.multiarch.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles the C sources of src/test/resources/check with the Debian compilers (gcc and the cross compilers
 * installed by src/test/tools/ensure-test-tools.sh) into target/check-binaries, once per test run. A missing
 * compiler fails the test naming the Debian package, never skips it.
 */
final class Compilers {
  /** A compiler, the Debian package that has it, and the platform architecture it produces code for. */
  record Compiler(String command, String debianPackage, String platform, String architecture) {}

  static final List<Compiler> ALL = List.of(
      new Compiler("gcc", "gcc", "linux/amd64", "amd64"),
      new Compiler("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu", "linux/arm64", "arm64"),
      new Compiler("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf", "linux/arm/v7", "arm"),
      new Compiler("powerpc64le-linux-gnu-gcc", "gcc-powerpc64le-linux-gnu", "linux/ppc64le", "ppc64le"),
      new Compiler("s390x-linux-gnu-gcc", "gcc-s390x-linux-gnu", "linux/s390x", "s390x"));

  /** What to make of the source. */
  enum Output {
    STATIC("-static"), PIE("-pie", "-fPIE"), SHARED("-shared", "-fPIC"), OBJECT("-c"), SPIN("-static", "-DSPIN");

    final List<String> flags;

    Output(String... flags) {
      this.flags = List.of(flags);
    }
  }

  private Compilers() {}

  static Compiler forPlatform(String platform) {
    io.github.multiarch.oci.Platform wanted = io.github.multiarch.oci.Platform.parse("test", platform);
    return ALL.stream().filter(c -> io.github.multiarch.oci.Platform.parse("test", c.platform()).equals(wanted))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no compiler for " + platform));
  }

  /** hello.c compiled by {@code compiler} as {@code output}. */
  static Path hello(Compiler compiler, Output output) {
    return compile(compiler, "hello.c", output.name().toLowerCase(), output.flags);
  }

  static Path hello(String platform) {
    return hello(forPlatform(platform), Output.STATIC);
  }

  /** freestanding.c for 32-bit ARM with the soft-float ABI, a static executable without C library. */
  static Path softFloatArm() {
    return compile(forPlatform("linux/arm/v7"), "freestanding.c", "softfloat",
        List.of("-mfloat-abi=soft", "-nostdlib", "-static"));
  }

  /** greet.c as a native Windows x86-64 executable (PE32+), compiled with MinGW-w64. */
  static synchronized Path windowsGreet() {
    Tools.require("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64");
    Path out = directory().resolve("x86_64-w64-mingw32-gcc-greet.exe");
    if (!Files.isRegularFile(out)) {
      Tools.run(120, List.of("x86_64-w64-mingw32-gcc", "-O2", "-o", out.toString(),
          Path.of("src/test/resources/check/greet.c").toAbsolutePath().toString())).check();
    }
    return out;
  }

  private static synchronized Path compile(Compiler compiler, String source, String name, List<String> flags) {
    require(compiler.command(), compiler.debianPackage());
    Path out = directory().resolve(compiler.command() + "-" + source.replace(".c", "") + "-" + name);
    if (Files.isRegularFile(out)) {
      return out;
    }
    List<String> command = new ArrayList<>();
    command.add(compiler.command());
    command.add("-O2");
    command.addAll(flags);
    command.add("-o");
    command.add(out.toString());
    command.add(Path.of("src/test/resources/check", source).toAbsolutePath().toString());
    Tools.run(120, command).check();
    return out;
  }

  /** Fails naming the Debian package when {@code command} is not on the PATH. */
  static Path require(String command, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("'" + command + "' is not installed; install the Debian package " + debianPackage
        + " (apt-get install -y " + debianPackage + "), or run src/test/tools/ensure-test-tools.sh");
  }

  /** {@code readelf -h} and {@code -l} of a file, as field → value. */
  static Map<String, String> readelf(Path file) {
    require("readelf", "binutils");
    String header = Tools.run(60, List.of("readelf", "-h", file.toString())).check().stdout();
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (String line : header.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    String programs = Tools.run(60, List.of("readelf", "-l", file.toString())).stdout();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Requesting program interpreter: ([^\\]]+)\\]")
        .matcher(programs);
    if (m.find()) {
      fields.put("Interpreter", m.group(1));
    }
    return fields;
  }

  private static Path directory() {
    Path dir = Path.of("target", "check-binaries").toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
