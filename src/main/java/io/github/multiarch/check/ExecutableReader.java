package io.github.multiarch.check;

import io.github.multiarch.check.Executable.FloatAbi;
import io.github.multiarch.check.Executable.Format;
import io.github.multiarch.check.Executable.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the headers of ELF and PE files from the first bytes of their content, as a stream: nothing is
 * written to disk and at most {@link #MAX_BYTES} bytes of a file are read (usually a few hundred).
 *
 * <p>ELF: {@code e_ident} (class, data encoding), {@code e_type}, {@code e_machine}, {@code e_flags} (the ARM
 * float ABI) and, when the program headers are near the start as linkers put them, {@code PT_INTERP}. PE:
 * the DOS header's {@code e_lfanew}, the {@code PE\0\0} signature, the COFF {@code Machine} and
 * {@code Characteristics}, the optional header's magic and the CLR data directory (.NET assemblies, whose
 * IL-only form runs anywhere and whose ReadyToRun form encodes its target OS in {@code Machine}).
 */
public final class ExecutableReader {
  /** The most this reader reads of one file. */
  public static final int MAX_BYTES = 64 * 1024;

  // ELF e_machine values (System V ABI, and binutils' include/elf/common.h)
  static final int EM_SPARC = 2;
  static final int EM_386 = 3;
  static final int EM_68K = 4;
  static final int EM_MIPS = 8;
  static final int EM_PARISC = 15;
  static final int EM_SPARC32PLUS = 18;
  static final int EM_PPC = 20;
  static final int EM_PPC64 = 21;
  static final int EM_S390 = 22;
  static final int EM_ARM = 40;
  static final int EM_SH = 42;
  static final int EM_SPARCV9 = 43;
  static final int EM_IA_64 = 50;
  static final int EM_X86_64 = 62;
  static final int EM_AARCH64 = 183;
  static final int EM_RISCV = 243;
  static final int EM_BPF = 247;
  static final int EM_LOONGARCH = 258;

  static final int EF_ARM_ABI_FLOAT_SOFT = 0x200;
  static final int EF_ARM_ABI_FLOAT_HARD = 0x400;
  static final int EF_MIPS_ABI2 = 0x20;
  static final int PT_INTERP = 3;

  // PE IMAGE_FILE_MACHINE_* values
  static final int PE_I386 = 0x14c;
  static final int PE_AMD64 = 0x8664;
  static final int PE_ARM64 = 0xaa64;
  static final int PE_ARM64EC = 0xa641;
  static final int PE_ARM64X = 0xa64e;
  static final int PE_ARM = 0x1c0;
  static final int PE_ARMNT = 0x1c4;
  static final int PE_THUMB = 0x1c2;
  static final int PE_IA64 = 0x200;
  static final int PE_RISCV64 = 0x5064;
  static final int PE_LOONGARCH64 = 0x6264;
  static final int PE_FILE_DLL = 0x2000;
  static final int CLR_DIRECTORY = 14;
  /**
   * {@code IMAGE_SUBSYSTEM_EFI_APPLICATION} to {@code IMAGE_SUBSYSTEM_EFI_ROM} (PE format, "Windows Subsystem"):
   * firmware programs (shim, GRUB, systemd-boot), which neither Windows nor Linux loads.
   */
  static final int PE_SUBSYSTEM_EFI_FIRST = 10;
  static final int PE_SUBSYSTEM_EFI_LAST = 13;

  private ExecutableReader() {}

  /**
   * Reads the start of {@code in} (the content of one file) and returns what its header says, or empty for
   * a file that is neither ELF nor PE (scripts, jars, text, data) or whose header is cut short. Reads no
   * more than needed; the caller may skip the rest of the content.
   */
  public static Optional<Executable> read(InputStream in) throws IOException {
    Buffer buffer = new Buffer(in);
    if (!buffer.need(4)) {
      return Optional.empty();
    }
    byte[] b = buffer.bytes;
    if (b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
      return elf(buffer);
    }
    if (b[0] == 'M' && b[1] == 'Z') {
      return pe(buffer);
    }
    return Optional.empty();
  }

  /** As {@link #read(InputStream)}, over bytes already read. */
  public static Optional<Executable> read(byte[] bytes) {
    try {
      return read(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array does not fail
    }
  }

  // ----------------------------------------------------------------------------------------------- ELF

  private static Optional<Executable> elf(Buffer buf) throws IOException {
    if (!buf.need(52)) {
      return Optional.empty();
    }
    int elfClass = buf.u8(4);
    int data = buf.u8(5);
    if ((elfClass != 1 && elfClass != 2) || (data != 1 && data != 2)) {
      return Optional.empty();
    }
    boolean is64 = elfClass == 2;
    boolean big = data == 2;
    if (is64 && !buf.need(64)) {
      return Optional.empty();
    }
    int type = buf.u16(16, big);
    int machine = buf.u16(18, big);
    long phoff = is64 ? buf.u64(32, big) : buf.u32(28, big);
    int flags = (int) buf.u32(is64 ? 48 : 36, big);
    int phentsize = buf.u16(is64 ? 54 : 42, big);
    int phnum = buf.u16(is64 ? 56 : 44, big);

    Kind kind = switch (type) {
      case 1 -> Kind.RELOCATABLE;
      case 2 -> Kind.EXECUTABLE;
      case 3 -> Kind.SHARED;
      default -> Kind.OTHER;
    };
    FloatAbi floatAbi = FloatAbi.UNKNOWN;
    if (machine == EM_ARM && !is64 && (flags >>> 24) == 5) {
      if ((flags & EF_ARM_ABI_FLOAT_HARD) != 0) {
        floatAbi = FloatAbi.HARD;
      } else if ((flags & EF_ARM_ABI_FLOAT_SOFT) != 0) {
        floatAbi = FloatAbi.SOFT;
      }
    }
    String interpreter = interpreter(buf, is64, big, phoff, phentsize, phnum);
    return Optional.of(new Executable(Format.ELF, elfArchitecture(machine, is64, big, flags), is64 ? 64 : 32, big,
        machine, elfMachineName(machine), kind, floatAbi, interpreter, false, null));
  }

  /** The program interpreter, when the program headers and the path lie within {@link #MAX_BYTES}. */
  private static String interpreter(Buffer buf, boolean is64, boolean big, long phoff, int phentsize, int phnum)
      throws IOException {
    if (phoff <= 0 || phnum <= 0 || phentsize < (is64 ? 56 : 32) || phoff + (long) phnum * phentsize > MAX_BYTES
        || !buf.need((int) (phoff + (long) phnum * phentsize))) {
      return null;
    }
    for (int i = 0; i < phnum; i++) {
      int at = (int) (phoff + (long) i * phentsize);
      if (buf.u32(at, big) != PT_INTERP) {
        continue;
      }
      long offset = is64 ? buf.u64(at + 8, big) : buf.u32(at + 4, big);
      long size = is64 ? buf.u64(at + 32, big) : buf.u32(at + 16, big);
      if (offset <= 0 || size <= 0 || size > 4096 || offset + size > MAX_BYTES || !buf.need((int) (offset + size))) {
        return null;
      }
      int length = 0;
      while (length < size && buf.bytes[(int) offset + length] != 0) {
        length++;
      }
      return new String(buf.bytes, (int) offset, length, java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }

  /** The platform architecture an ELF machine runs on, in the image spec's names where there is one. */
  static String elfArchitecture(int machine, boolean is64, boolean big, int flags) {
    return switch (machine) {
      case EM_X86_64 -> "amd64"; // 32-bit class: the x32 ABI, still an amd64 CPU
      case EM_386 -> "386";
      case EM_AARCH64 -> "arm64";
      case EM_ARM -> "arm";
      case EM_PPC64 -> big ? "ppc64" : "ppc64le";
      case EM_PPC -> big ? "ppc" : "ppcle";
      case EM_S390 -> is64 ? "s390x" : "s390";
      case EM_RISCV -> is64 ? "riscv64" : "riscv32";
      case EM_MIPS -> is64 || (flags & EF_MIPS_ABI2) != 0 ? (big ? "mips64" : "mips64le") : (big ? "mips" : "mipsle");
      case EM_LOONGARCH -> is64 ? "loong64" : "loong32";
      case EM_SPARCV9 -> "sparc64";
      case EM_SPARC, EM_SPARC32PLUS -> "sparc";
      case EM_IA_64 -> "ia64";
      case EM_PARISC -> "hppa";
      case EM_68K -> "m68k";
      case EM_SH -> "sh";
      default -> "machine " + machine;
    };
  }

  /** The name binutils' {@code readelf -h} prints as {@code Machine:}. */
  static String elfMachineName(int machine) {
    return switch (machine) {
      case EM_X86_64 -> "Advanced Micro Devices X86-64";
      case EM_386 -> "Intel 80386";
      case EM_AARCH64 -> "AArch64";
      case EM_ARM -> "ARM";
      case EM_PPC64 -> "PowerPC64";
      case EM_PPC -> "PowerPC";
      case EM_S390 -> "IBM S/390";
      case EM_RISCV -> "RISC-V";
      case EM_MIPS -> "MIPS R3000";
      case EM_LOONGARCH -> "LoongArch";
      case EM_SPARCV9 -> "Sparc v9";
      case EM_SPARC -> "Sparc";
      case EM_SPARC32PLUS -> "Sparc v8+";
      case EM_IA_64 -> "Intel IA-64";
      case EM_PARISC -> "HPPA";
      case EM_68K -> "MC68000";
      case EM_SH -> "Renesas / SuperH SH";
      case EM_BPF -> "Linux BPF";
      default -> "e_machine " + machine;
    };
  }

  // ------------------------------------------------------------------------------------------------ PE

  private static Optional<Executable> pe(Buffer buf) throws IOException {
    if (!buf.need(0x40)) {
      return Optional.empty();
    }
    long lfanew = buf.u32(0x3c, false);
    if (lfanew < 0x40 || lfanew + 24 > MAX_BYTES || !buf.need((int) lfanew + 24)) {
      return Optional.empty(); // a DOS program, or not a PE file after all
    }
    int at = (int) lfanew;
    if (buf.u8(at) != 'P' || buf.u8(at + 1) != 'E' || buf.u8(at + 2) != 0 || buf.u8(at + 3) != 0) {
      return Optional.empty();
    }
    int machine = buf.u16(at + 4, false);
    int optionalSize = buf.u16(at + 20, false);
    int characteristics = buf.u16(at + 22, false);
    int optional = at + 24;
    int bits = 32;
    boolean managed = false;
    boolean efi = false;
    if (optionalSize >= 2 && buf.need(optional + 2)) {
      int magic = buf.u16(optional, false);
      bits = magic == 0x20b ? 64 : 32;
      if (optionalSize >= 70 && buf.need(optional + 70)) { // Subsystem: at 68 in PE32 and PE32+ alike
        int subsystem = buf.u16(optional + 68, false);
        efi = subsystem >= PE_SUBSYSTEM_EFI_FIRST && subsystem <= PE_SUBSYSTEM_EFI_LAST;
      }
      int countAt = optional + (bits == 64 ? 108 : 92);
      int directories = optional + (bits == 64 ? 112 : 96);
      int clrAt = directories + CLR_DIRECTORY * 8;
      if (optionalSize >= clrAt + 8 - optional && buf.need(clrAt + 8) && buf.u32(countAt, false) > CLR_DIRECTORY) {
        managed = buf.u32(clrAt, false) != 0;
      }
    }
    Kind kind = (characteristics & PE_FILE_DLL) != 0 ? Kind.SHARED : Kind.EXECUTABLE;
    String targetOs = efi ? "efi" : "windows";
    int nativeMachine = machine;
    String architecture;
    if (managed && machine == PE_I386) {
      architecture = null; // IL only (AnyCPU): the runtime compiles it for whatever CPU it runs on
    } else {
      if (managed) {
        // .NET ReadyToRun images for other systems XOR the machine with a per-OS value (crossgen's
        // "machine override"), so a Windows loader refuses them
        for (int[] os : DOTNET_OS_OVERRIDES) {
          int candidate = machine ^ os[0];
          if (peArchitecture(candidate) != null) {
            nativeMachine = candidate;
            targetOs = DOTNET_OS_NAMES[os[1]];
            break;
          }
        }
      }
      architecture = peArchitecture(nativeMachine);
      if (architecture == null) {
        architecture = String.format(java.util.Locale.ROOT, "machine 0x%x", machine);
      }
    }
    return Optional.of(new Executable(Format.PE, architecture, bits, false, machine, peMachineName(nativeMachine),
        kind, FloatAbi.UNKNOWN, null, managed, targetOs));
  }

  private static final String[] DOTNET_OS_NAMES = {"linux", "darwin", "freebsd", "netbsd", "illumos"};
  private static final int[][] DOTNET_OS_OVERRIDES = {{0x7b79, 0}, {0x4644, 1}, {0xadc4, 2}, {0x1993, 3},
      {0x1992, 4}};

  static String peArchitecture(int machine) {
    return switch (machine) {
      case PE_AMD64 -> "amd64";
      case PE_I386 -> "386";
      case PE_ARM64, PE_ARM64EC, PE_ARM64X -> "arm64";
      case PE_ARM, PE_ARMNT, PE_THUMB -> "arm";
      case PE_RISCV64 -> "riscv64";
      case PE_LOONGARCH64 -> "loong64";
      case PE_IA64 -> "ia64";
      default -> null;
    };
  }

  static String peMachineName(int machine) {
    return switch (machine) {
      case PE_AMD64 -> "x86-64";
      case PE_I386 -> "Intel 80386";
      case PE_ARM64 -> "Aarch64";
      case PE_ARM64EC -> "ARM64EC";
      case PE_ARM64X -> "ARM64X";
      case PE_ARM -> "ARM";
      case PE_ARMNT -> "ARMv7 (Thumb-2)";
      case PE_THUMB -> "ARM Thumb";
      case PE_RISCV64 -> "RISC-V 64";
      case PE_LOONGARCH64 -> "LoongArch64";
      case PE_IA64 -> "Intel Itanium";
      default -> String.format(java.util.Locale.ROOT, "machine 0x%04x", machine);
    };
  }

  // ------------------------------------------------------------------------------------------ reading

  /** The first bytes of a file, read on demand. */
  private static final class Buffer {
    private final InputStream in;
    private byte[] bytes = new byte[512];
    private int length;
    private boolean eof;

    Buffer(InputStream in) {
      this.in = in;
    }

    /** Makes sure the first {@code n} bytes are read; false when the content is shorter. */
    boolean need(int n) throws IOException {
      if (n > MAX_BYTES) {
        return false;
      }
      if (n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, Math.max(n, bytes.length * 2)));
      }
      while (length < n && !eof) {
        int r = in.read(bytes, length, bytes.length - length);
        if (r < 0) {
          eof = true;
        } else {
          length += r;
        }
      }
      return length >= n;
    }

    int u8(int at) {
      return bytes[at] & 0xff;
    }

    int u16(int at, boolean big) {
      return big ? (u8(at) << 8) | u8(at + 1) : u8(at) | (u8(at + 1) << 8);
    }

    long u32(int at, boolean big) {
      return big ? ((long) u16(at, true) << 16) | u16(at + 2, true) : u16(at, false) | ((long) u16(at + 2, false) << 16);
    }

    long u64(int at, boolean big) {
      long value = big ? (u32(at, true) << 32) | u32(at + 4, true) : u32(at, false) | (u32(at + 4, false) << 32);
      return value < 0 ? Long.MAX_VALUE : value;
    }
  }
}
