package io.github.multiarch.check;

import io.github.multiarch.oci.Platform;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a program of an unpacked image root: natively when the platform is the host's, else under QEMU user
 * emulation ({@code qemu-ARCH-static -L ROOT}, which also makes the dynamic loader and absolute paths the
 * program opens resolve inside the root). The program is found inside the root (its {@code PATH} from the image
 * config), a {@code #!} script's interpreter too; a dynamically linked program that runs natively is started
 * through the image's own dynamic loader with the image's library directories.
 */
public final class SmokeRunner {
  /** The Debian package that has the emulators. */
  public static final String QEMU_PACKAGE = "qemu-user-static";
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final int KEEP_OUTPUT = 64 * 1024;

  private final String hostArchitecture;
  private final List<Path> searchPath;

  /**
   * @param hostArchitecture the host's architecture in platform terms ({@link #hostArchitecture()}), or null
   *     when the host is not Linux (then everything needs emulation, which needs a Linux host)
   * @param searchPath where to look for the qemu programs (the PATH)
   */
  public SmokeRunner(String hostArchitecture, List<Path> searchPath) {
    this.hostArchitecture = hostArchitecture;
    this.searchPath = List.copyOf(searchPath);
  }

  /** A runner for this machine: its architecture, and its PATH. */
  public static SmokeRunner forHost() {
    List<Path> path = new ArrayList<>();
    String env = System.getenv("PATH");
    for (String dir : (env == null ? "/usr/local/bin:/usr/bin:/bin" : env).split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        path.add(Path.of(dir));
      }
    }
    return new SmokeRunner(hostArchitecture(), path);
  }

  /** The host's architecture as a platform names it ({@code amd64}, {@code arm64}, …), null when not Linux. */
  public static String hostArchitecture() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return null;
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "arm", "armv7l" -> "arm";
      default -> arch; // ppc64le, s390x, riscv64, …
    };
  }

  /** The name of the QEMU user emulator for a platform architecture, e.g. {@code qemu-aarch64-static}. */
  public static String qemuProgram(String architecture) {
    String cpu = switch (architecture) {
      case "amd64" -> "x86_64";
      case "386" -> "i386";
      case "arm64" -> "aarch64";
      case "arm" -> "arm";
      case "ppc64le" -> "ppc64le";
      case "ppc64" -> "ppc64";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      case "mips" -> "mips";
      case "mipsle" -> "mipsel";
      case "mips64" -> "mips64";
      case "mips64le" -> "mips64el";
      case "loong64" -> "loongarch64";
      default -> architecture;
    };
    return "qemu-" + cpu + "-static";
  }

  /** Whether the platform runs natively here. */
  public boolean isNative(Platform platform) {
    return hostArchitecture != null && "linux".equals(platform.os())
        && hostArchitecture.equals(platform.architecture());
  }

  /** What a smoke run found. */
  public record Result(boolean passed, String summary, List<String> command, int exitCode, String output) {}

  /** How to run the image's program. */
  public record Invocation(List<String> arguments, Map<String, String> environment, String workingDirectory) {}

  /**
   * Runs {@code invocation} in the unpacked {@code root} of {@code platform} and decides: exit code 0 and, when
   * {@code expect} is given, output (stdout and stderr together) matching it somewhere.
   */
  public Result run(Path root, Platform platform, Invocation invocation, Pattern expect, Duration timeout)
      throws IOException {
    if (invocation.arguments().isEmpty()) {
      return new Result(false, "nothing to run: the image has neither an entrypoint nor a cmd (set smokeCommand)",
          List.of(), -1, "");
    }
    Path qemu = null;
    if (!isNative(platform)) {
      if (hostArchitecture == null) {
        return new Result(false, "a smoke run needs a Linux host (with " + QEMU_PACKAGE + " for other CPUs)",
            List.of(), -1, "");
      }
      String program = qemuProgram(platform.architecture());
      Optional<Path> found = find(program).or(() -> find(program.substring(0, program.length() - "-static".length())));
      if (found.isEmpty()) {
        return new Result(false, program + " is not installed, so " + platform + " cannot be run on this "
            + hostArchitecture + " host: install the Debian package " + QEMU_PACKAGE + " (apt-get install -y "
            + QEMU_PACKAGE + ")", List.of(), -1, "");
      }
      qemu = found.get();
    }

    RootPath inRoot = new RootPath(root.toRealPath(), RootPath.AboveRoot.CLAMP);
    Map<String, String> environment = new LinkedHashMap<>(invocation.environment());
    environment.putIfAbsent("PATH", DEFAULT_PATH);
    String workingDirectory = invocation.workingDirectory() == null || invocation.workingDirectory().isBlank()
        ? "/" : invocation.workingDirectory();
    String program = invocation.arguments().get(0);
    Path executable = locate(inRoot, program, environment.get("PATH"), workingDirectory);
    if (executable == null) {
      return new Result(false, "'" + program + "' is not an executable file in the image (PATH "
          + environment.get("PATH") + ")", invocation.arguments(), -1, "");
    }

    List<String> command = new ArrayList<>();
    List<String> programArguments = new ArrayList<>(invocation.arguments().subList(1, invocation.arguments().size()));
    Script script = shebang(executable);
    if (script != null) {
      Path interpreter = locate(inRoot, script.interpreter(), environment.get("PATH"), "/");
      if (interpreter == null) {
        return new Result(false, inRoot.inContainer(executable) + " is a script for " + script.interpreter()
            + ", which is not in the image", invocation.arguments(), -1, "");
      }
      List<String> scriptArguments = new ArrayList<>();
      if (script.argument() != null) {
        scriptArguments.add(script.argument());
      }
      scriptArguments.add(executable.toString());
      scriptArguments.addAll(programArguments);
      programArguments = scriptArguments;
      executable = interpreter;
    }
    if (qemu != null) {
      command.add(qemu.toString());
      command.add("-L");
      command.add(inRoot.root().toString());
      command.add(executable.toString());
    } else {
      String loader = null;
      try (InputStream in = Files.newInputStream(executable)) {
        loader = ExecutableReader.read(in).map(Executable::interpreter).orElse(null);
      }
      if (loader != null) {
        Path loaderPath = inRoot.follow(loader, "the program interpreter " + loader);
        if (!Files.isRegularFile(loaderPath)) {
          return new Result(false, inRoot.inContainer(executable) + " needs the dynamic loader " + loader
              + ", which is not in the image", invocation.arguments(), -1, "");
        }
        command.add(loaderPath.toString());
        command.add("--library-path");
        command.add(libraryPath(inRoot.root()));
      }
      command.add(executable.toString());
    }
    command.addAll(programArguments);

    Path directory;
    try {
      directory = inRoot.directory(EntryName.of(workingDirectory).path(), false, "the working directory");
    } catch (IOException e) {
      directory = inRoot.root();
    }
    return execute(command, environment, directory, expect, timeout);
  }

  private Result execute(List<String> command, Map<String, String> environment, Path directory, Pattern expect,
      Duration timeout) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process = builder.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (output) {
            if (output.size() < KEEP_OUTPUT) {
              output.write(buffer, 0, Math.min(n, KEEP_OUTPUT - output.size()));
            }
          }
        }
      } catch (IOException ignored) {
        // the process was killed
      }
    }, "multiarch-smoke-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    String text;
    synchronized (output) {
      text = output.toString(StandardCharsets.UTF_8);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!finished) {
      return new Result(false, String.format(Locale.ROOT, "did not finish within %d s (killed)%s",
          timeout.toSeconds(), describeOutput(text)), command, -1, text);
    }
    int exit = process.exitValue();
    if (exit != 0) {
      return new Result(false, String.format(Locale.ROOT, "exited with %d after %.1f s%s", exit, seconds,
          describeOutput(text)), command, exit, text);
    }
    if (expect != null && !expect.matcher(text).find()) {
      return new Result(false, "exited with 0 but its output does not match /" + expect.pattern() + "/"
          + describeOutput(text), command, exit, text);
    }
    return new Result(true, String.format(Locale.ROOT, "exited with 0 after %.1f s%s", seconds, describeOutput(text)),
        command, exit, text);
  }

  /** The first line of the output, shortened, for the summary. */
  private static String describeOutput(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return ", no output";
    }
    String first = trimmed.lines().findFirst().orElse("");
    if (first.length() > 120) {
      first = first.substring(0, 117) + "...";
    }
    long lines = trimmed.lines().count();
    return ": \"" + first + "\"" + (lines > 1 ? " (+" + (lines - 1) + " lines)" : "");
  }

  /** Finds a program as {@code execvp} would inside the root; null when it is not an executable file. */
  static Path locate(RootPath root, String program, String path, String workingDirectory) throws IOException {
    List<String> candidates = new ArrayList<>();
    if (program.contains("/")) {
      candidates.add(program.startsWith("/") ? program : workingDirectory + "/" + program);
    } else {
      for (String dir : (path == null ? DEFAULT_PATH : path).split(":")) {
        candidates.add((dir.isEmpty() ? workingDirectory : dir) + "/" + program);
      }
    }
    for (String candidate : candidates) {
      Path file;
      try {
        file = root.follow(candidate, "'" + program + "'");
      } catch (IOException e) {
        continue;
      }
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(file)) {
        return file;
      }
    }
    return null;
  }

  private record Script(String interpreter, String argument) {}

  /** The {@code #!} line of a script, or null for anything else. */
  private static Script shebang(Path file) throws IOException {
    byte[] head = new byte[256];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n < 3 || head[0] != '#' || head[1] != '!') {
      return null;
    }
    String line = new String(head, 2, n - 2, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    if (line.isEmpty()) {
      return null;
    }
    int space = line.indexOf(' ');
    return space < 0 ? new Script(line, null) : new Script(line.substring(0, space), line.substring(space + 1).strip());
  }

  /** The usual library directories of a root, for its dynamic loader. */
  private static String libraryPath(Path root) {
    List<String> dirs = new ArrayList<>();
    for (String dir : List.of("lib", "usr/lib", "lib64", "usr/lib64", "usr/local/lib")) {
      Path base = root.resolve(dir);
      if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) { // a link (usrmerge's lib -> usr/lib) is not followed
        try (var children = Files.list(base)) {
          children.filter(c -> c.getFileName().toString().endsWith("-linux-gnu")
              && Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS))
              .sorted().forEach(c -> dirs.add(c.toString()));
        } catch (IOException ignored) {
          // an unreadable directory adds nothing
        }
        dirs.add(base.toString());
      }
    }
    return String.join(":", dirs);
  }

  private Optional<Path> find(String program) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
