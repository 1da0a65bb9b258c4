package io.github.multiarch.check;

import io.github.multiarch.check.Executable.FloatAbi;
import io.github.multiarch.check.Executable.Format;
import io.github.multiarch.oci.Platform;

/** Decides whether an executable found in a platform's image runs on that platform. */
public final class ArchitectureJudge {
  private ArchitectureJudge() {}

  /** The outcome for one file. */
  public enum Verdict {
    /** Built for this platform's CPU. */
    MATCH,
    /**
     * A 32-bit binary of the same CPU family (386 on amd64, arm on arm64): it runs only where the CPU and kernel
     * still execute 32-bit code (many arm64 CPUs do not), and needs 32-bit libraries when dynamically linked.
     */
    COMPATIBLE,
    /** Built for another CPU: {@code exec format error} at run time. */
    MISMATCH,
    /** Built for another operating system, whose loader this platform does not have: an ELF file on Windows. */
    WRONG_OS,
    /** Not judged: not loadable code, architecture-independent (.NET IL), or firmware (EFI) programs. */
    IGNORED
  }

  /** A verdict and, for all but MATCH and IGNORED, why. */
  public record Judgement(Verdict verdict, String reason) {}

  public static Judgement judge(Executable file, Platform platform) {
    boolean windows = "windows".equals(platform.os());
    if (!file.kind().isLoadable()) {
      return new Judgement(Verdict.IGNORED, "not an executable or shared library");
    }
    if (file.format() == Format.ELF && windows) {
      // Windows loads PE files only; an ELF program in a Windows image can only fail to start
      return new Judgement(Verdict.WRONG_OS, "Windows runs PE programs only, not ELF");
    }
    if (file.format() == Format.PE) {
      if (file.architectureIndependent()) {
        return new Judgement(Verdict.IGNORED, ".NET IL-only assembly, runs on every architecture");
      }
      if ("efi".equals(file.targetOs())) {
        return new Judgement(Verdict.IGNORED, "an EFI program, run by firmware rather than by " + platform.os());
      }
      if (!windows && !file.managed()) {
        // a native Windows program: Linux has no PE loader (and Wine is not what an image runs with)
        return new Judgement(Verdict.WRONG_OS, "a native Windows program (PE), which " + platform.os()
            + " does not load");
      }
      // .NET ReadyToRun code for another system: the runtime compiles the IL in it instead, so not judged
      boolean forThisOs = windows ? "windows".equals(file.targetOs()) : platform.os().equals(file.targetOs());
      if (!forThisOs) {
        return new Judgement(Verdict.IGNORED, "a .NET assembly with native code for " + file.targetOs()
            + ", whose IL runs on " + platform.os());
      }
    }
    String expected = platform.architecture();
    String found = file.architecture();
    if (expected.equals(found)) {
      if ("arm".equals(expected) && "v5".equals(platform.variant()) && file.floatAbi() == FloatAbi.HARD) {
        return new Judgement(Verdict.MISMATCH, "hard-float ABI code needs VFP registers, which arm/v5 (armel) "
            + "does not have");
      }
      return new Judgement(Verdict.MATCH, null);
    }
    if (("amd64".equals(expected) && "386".equals(found)) || ("arm64".equals(expected) && "arm".equals(found))) {
      return new Judgement(Verdict.COMPATIBLE, "32-bit " + found + " code runs on " + expected
          + " only where the CPU and kernel still execute 32-bit code" + ("arm".equals(found)
          ? " (AArch32; many arm64 CPUs, e.g. Apple M-series and recent Graviton/Ampere, cannot)" : ""));
    }
    return new Judgement(Verdict.MISMATCH, null);
  }
}
