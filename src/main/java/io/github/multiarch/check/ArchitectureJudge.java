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
    /** Not judged: not loadable code, architecture-independent (.NET IL), or not for this OS. */
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
      return new Judgement(Verdict.IGNORED, "an ELF file in a Windows image is not loaded by Windows");
    }
    if (file.format() == Format.PE) {
      if (file.architectureIndependent()) {
        return new Judgement(Verdict.IGNORED, ".NET IL-only assembly, runs on every architecture");
      }
      // On other systems a PE file is data (installers, EFI programs), unless .NET ReadyToRun code for them
      boolean forThisOs = windows ? "windows".equals(file.targetOs()) : platform.os().equals(file.targetOs());
      if (!forThisOs) {
        return new Judgement(Verdict.IGNORED, "a PE file for " + file.targetOs() + ", not loaded on " + platform.os());
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
