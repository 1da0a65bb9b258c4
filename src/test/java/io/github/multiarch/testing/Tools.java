package io.github.multiarch.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external programs the tests use. A missing program is a test failure naming the Debian package
 * to install (src/test/tools/ensure-test-tools.sh installs them before the tests), never a silent skip.
 */
public final class Tools {
  private Tools() {}

  /** The outcome of a finished program. */
  public record Result(List<String> command, int exitCode, byte[] stdoutBytes, String stderr) {
    public String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    public boolean ok() {
      return exitCode == 0;
    }

    /** Fails unless the program exited with 0, showing what it printed. */
    public Result check() {
      if (exitCode != 0) {
        throw new AssertionError(describe());
      }
      return this;
    }

    public String describe() {
      return String.join(" ", command) + " exited with " + exitCode + "\nstdout: " + stdout() + "\nstderr: " + stderr;
    }
  }

  /** Fails with the package to install when {@code command} is not on the PATH. */
  public static Path require(String command, String debianPackage) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new AssertionError("'" + command + "' is not installed; the registry tests need it. Install the Debian "
        + "package " + debianPackage + " (apt-get install -y " + debianPackage + "), or run "
        + "src/test/tools/ensure-test-tools.sh");
  }

  /** Runs a program to its end (at most {@code timeoutSeconds}) and collects what it printed. */
  public static Result run(long timeoutSeconds, List<String> command) {
    try {
      Path out = Files.createTempFile("multiarch-tool", ".out");
      Path err = Files.createTempFile("multiarch-tool", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(List.copyOf(command), process.exitValue(), Files.readAllBytes(out),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  /** Runs {@code skopeo} with a permissive signature policy of its own (no dependency on /etc/containers). */
  public static Result skopeo(String... arguments) {
    require("skopeo", "skopeo");
    List<String> command = new ArrayList<>();
    command.add("skopeo");
    command.add("--policy");
    command.add(policyFile().toString());
    command.addAll(List.of(arguments));
    return run(180, command);
  }

  private static synchronized Path policyFile() {
    Path file = TestRegistry.targetDirectory().resolve("test-registries/skopeo-policy.json");
    try {
      if (!Files.isRegularFile(file)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
