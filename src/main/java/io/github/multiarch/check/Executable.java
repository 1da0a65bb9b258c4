package io.github.multiarch.check;

/**
 * What the header of an executable file says about the machine it runs on: an ELF file (Linux and most
 * Unix systems) or a Windows PE file.
 *
 * @param format ELF or PE
 * @param architecture the platform architecture it runs on, in the image spec's (Go's) names: {@code amd64},
 *     {@code arm64}, {@code arm}, {@code 386}, {@code ppc64le}, {@code s390x}, …; for machines without such a
 *     name, a descriptive one ({@code ppc}, {@code s390}, {@code sparc64}, {@code machine 0x1234})
 * @param bits 32 or 64 (for PE: 32 for PE32, 64 for PE32+)
 * @param bigEndian whether the file is big-endian (PE files are always little-endian)
 * @param machine the raw {@code e_machine} (ELF) or {@code Machine} (PE) value
 * @param machineName the machine as binutils' {@code readelf -h} names it for ELF, or the PE constant's name
 * @param kind executable, shared library, relocatable object, …
 * @param floatAbi for 32-bit ARM ELF files, what {@code e_flags} says about the float ABI
 * @param interpreter the ELF program interpreter ({@code PT_INTERP}, the dynamic loader) when it is within the
 *     bytes read, else null (static, or not known)
 * @param managed for PE files: a .NET assembly (it has a CLR header); {@code architecture} is then the native
 *     code's (ReadyToRun) or null for IL-only (architecture-independent) assemblies
 * @param targetOs for PE files: {@code windows}, the OS a .NET ReadyToRun image was compiled for
 *     ({@code linux}, {@code darwin}, {@code freebsd}, {@code netbsd}, {@code illumos}), or {@code efi} for an
 *     EFI program (its subsystem says so); for ELF files null
 */
public record Executable(Format format, String architecture, int bits, boolean bigEndian, int machine,
    String machineName, Kind kind, FloatAbi floatAbi, String interpreter, boolean managed, String targetOs) {

  /** The container of the code. */
  public enum Format {
    ELF, PE
  }

  /** What kind of file the header says this is. */
  public enum Kind {
    /** An executable ({@code ET_EXEC}; a PE {@code .exe}). */
    EXECUTABLE,
    /** A shared object or position-independent executable ({@code ET_DYN}; a PE {@code .dll}). */
    SHARED,
    /** A relocatable object ({@code ET_REL}: {@code .o}, kernel modules). */
    RELOCATABLE,
    /** Anything else ({@code ET_CORE}, OS- or processor-specific types). */
    OTHER;

    /** Executables and shared libraries are what a runtime loads; the others are judged by nobody. */
    public boolean isLoadable() {
      return this == EXECUTABLE || this == SHARED;
    }
  }

  /** The float ABI of a 32-bit ARM ELF file, from {@code e_flags} (EABI version 5). */
  public enum FloatAbi {
    /** Not an ARM file, or the flags do not say. */
    UNKNOWN,
    /** {@code EF_ARM_ABI_FLOAT_HARD}: needs VFP registers (Debian armhf, arm/v7; Raspbian arm/v6). */
    HARD,
    /** {@code EF_ARM_ABI_FLOAT_SOFT}: no VFP registers in calls (Debian armel, arm/v5 and arm/v6). */
    SOFT
  }

  /** True for an IL-only .NET assembly: the same file runs on every architecture. */
  public boolean architectureIndependent() {
    return managed && architecture == null;
  }

  /**
   * A short description in the style of {@code file}: {@code ELF 64-bit LSB shared object, AArch64},
   * {@code ELF 32-bit LSB executable, ARM, EABI5 hard-float}, {@code PE32+ executable, x86-64}.
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (format == Format.ELF) {
      s.append("ELF ").append(bits).append("-bit ").append(bigEndian ? "MSB " : "LSB ");
      s.append(switch (kind) {
        case EXECUTABLE -> "executable";
        case SHARED -> interpreter != null ? "pie executable" : "shared object";
        case RELOCATABLE -> "relocatable";
        case OTHER -> "file";
      });
      s.append(", ").append(machineName);
      if (floatAbi != FloatAbi.UNKNOWN) {
        s.append(", ").append(floatAbi == FloatAbi.HARD ? "hard-float" : "soft-float").append(" ABI");
      }
      if (interpreter != null) {
        s.append(", interpreter ").append(interpreter);
      }
    } else {
      s.append(bits == 64 ? "PE32+ " : "PE32 ").append(kind == Kind.SHARED ? "DLL" : "executable");
      s.append(", ").append(machineName);
      if (managed) {
        s.append(architecture == null ? ", .NET IL-only assembly" : ", .NET ReadyToRun for " + targetOs);
      }
    }
    return s.toString();
  }
}
