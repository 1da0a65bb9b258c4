package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.check.Compilers.Compiler;
import io.github.multiarch.check.Compilers.Output;
import io.github.multiarch.check.Executable.FloatAbi;
import io.github.multiarch.check.Executable.Format;
import io.github.multiarch.check.Executable.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ELF reader against real binaries from the Debian cross compilers, compared with what binutils'
 * {@code readelf} says of the same files; the PE reader against headers made here byte by byte.
 */
class ExecutableReaderTest {

  static Stream<Arguments> binaries() {
    List<Arguments> cases = new ArrayList<>();
    for (Compiler compiler : Compilers.ALL) {
      for (Output output : List.of(Output.STATIC, Output.PIE, Output.SHARED, Output.OBJECT)) {
        cases.add(Arguments.of(compiler.command(), output));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("binaries")
  void agreesWithReadelf(String command, Output output) throws IOException {
    Compiler compiler = Compilers.ALL.stream().filter(c -> c.command().equals(command)).findFirst().orElseThrow();
    Path file = Compilers.hello(compiler, output);
    Map<String, String> readelf = Compilers.readelf(file);

    CountingStream in = new CountingStream(Files.newInputStream(file));
    Executable e;
    try (in) {
      e = ExecutableReader.read(in).orElseThrow(() -> new AssertionError("not read as ELF: " + file));
    }
    assertEquals(Format.ELF, e.format());
    assertEquals(readelf.get("Class"), "ELF" + e.bits(), "Class");
    assertEquals(readelf.get("Data"), "2's complement, " + (e.bigEndian() ? "big" : "little") + " endian", "Data");
    assertEquals(readelf.get("Machine"), e.machineName(), "Machine");
    String type = readelf.get("Type");
    Kind expectedKind = type.startsWith("EXEC") ? Kind.EXECUTABLE : type.startsWith("DYN") ? Kind.SHARED
        : type.startsWith("REL") ? Kind.RELOCATABLE : Kind.OTHER;
    assertEquals(expectedKind, e.kind(), "Type " + type);
    assertEquals(readelf.get("Interpreter"), e.interpreter(), "program interpreter (readelf -l)");
    String flags = readelf.get("Flags");
    FloatAbi expectedAbi = flags.contains("hard-float ABI") ? FloatAbi.HARD : flags.contains("soft-float ABI")
        ? FloatAbi.SOFT : FloatAbi.UNKNOWN;
    assertEquals(expectedAbi, e.floatAbi(), "Flags " + flags);

    // the platform architecture the file runs on
    assertEquals(compiler.architecture(), e.architecture());
    assertTrue(in.count <= 4096, "read " + in.count + " bytes of " + file + " to learn its header");
    if (output == Output.STATIC) {
      assertNull(e.interpreter(), "a static executable has no program interpreter");
    }
  }

  @Test
  void armHardFloatFromEflags() throws IOException {
    Executable e = read(Compilers.hello(Compilers.forPlatform("linux/arm/v7"), Output.STATIC));
    assertEquals(FloatAbi.HARD, e.floatAbi());
    assertTrue(Compilers.readelf(Compilers.hello("linux/arm/v7")).get("Flags").contains("hard-float ABI"));
    assertEquals("ELF 32-bit LSB executable, ARM, hard-float ABI", e.describe());
  }

  @Test
  void armSoftFloatFromEflags() throws IOException {
    Path file = Compilers.softFloatArm();
    Executable e = read(file);
    assertEquals("arm", e.architecture());
    assertEquals(Kind.EXECUTABLE, e.kind());
    assertEquals(FloatAbi.SOFT, e.floatAbi());
    assertTrue(Compilers.readelf(file).get("Flags").contains("soft-float ABI"), Compilers.readelf(file).toString());
  }

  @Test
  void s390xIsBigEndian() throws IOException {
    Executable e = read(Compilers.hello("linux/s390x"));
    assertTrue(e.bigEndian());
    assertEquals(64, e.bits());
    assertEquals("s390x", e.architecture());
  }

  // -------------------------------------------------------------------------------- synthetic ELF

  @Test
  void elfMachinesWithoutACompilerHere() {
    assertEquals("riscv64", elf(2, 1, 243, 0).architecture());
    assertEquals("riscv32", elf(1, 1, 243, 0).architecture());
    assertEquals("386", elf(1, 1, 3, 0).architecture());
    assertEquals("mips", elf(1, 2, 8, 0).architecture());
    assertEquals("mipsle", elf(1, 1, 8, 0).architecture());
    assertEquals("mips64", elf(2, 2, 8, 0).architecture());
    assertEquals("mips64le", elf(2, 1, 8, 0).architecture());
    assertEquals("mips64le", elf(1, 1, 8, 0x20).architecture(), "n32: a 64-bit CPU with 32-bit pointers");
    assertEquals("ppc64", elf(2, 2, 21, 0).architecture(), "big-endian PowerPC64");
    assertEquals("ppc64le", elf(2, 1, 21, 0).architecture());
    assertEquals("s390", elf(1, 2, 22, 0).architecture(), "31-bit S/390");
    assertEquals("loong64", elf(2, 1, 258, 0).architecture());
    assertEquals("machine 9999", elf(2, 1, 9999, 0).architecture());
  }

  @Test
  void notExecutables() {
    assertTrue(ExecutableReader.read("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.US_ASCII)).isEmpty());
    assertTrue(ExecutableReader.read(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}).isEmpty(), "a jar");
    assertTrue(ExecutableReader.read(new byte[0]).isEmpty());
    assertTrue(ExecutableReader.read(new byte[] {0x7f, 'E', 'L'}).isEmpty());
    assertTrue(ExecutableReader.read(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).isEmpty(), "cut short");
    byte[] badClass = elfBytes(2, 1, 62, 0);
    badClass[4] = 7;
    assertTrue(ExecutableReader.read(badClass).isEmpty(), "an unknown ELF class is not an executable here");
  }

  // ------------------------------------------------------------------------------------------- PE

  @Test
  void peMachines() {
    Executable amd64 = pe(0x8664, true, false, 0).orElseThrow();
    assertEquals(Format.PE, amd64.format());
    assertEquals("amd64", amd64.architecture());
    assertEquals(64, amd64.bits());
    assertEquals(Kind.EXECUTABLE, amd64.kind());
    assertEquals("windows", amd64.targetOs());
    assertEquals("PE32+ executable, x86-64", amd64.describe());

    Executable arm64Dll = pe(0xAA64, true, true, 0).orElseThrow();
    assertEquals("arm64", arm64Dll.architecture());
    assertEquals(Kind.SHARED, arm64Dll.kind());

    Executable i386 = pe(0x14c, false, false, 0).orElseThrow();
    assertEquals("386", i386.architecture());
    assertEquals(32, i386.bits());
    assertFalse(i386.managed());

    assertEquals("arm", pe(0x1c4, false, false, 0).orElseThrow().architecture());
    assertEquals("machine 0x1234", pe(0x1234, false, false, 0).orElseThrow().architecture());
  }

  @Test
  void dotNetAssemblies() {
    Executable il = pe(0x14c, false, true, 0x2008).orElseThrow();
    assertTrue(il.managed());
    assertTrue(il.architectureIndependent(), "an IL-only (AnyCPU) assembly runs on every architecture");

    Executable readyToRunLinuxArm64 = pe(0xAA64 ^ 0x7B79, true, true, 0x2008).orElseThrow();
    assertEquals("arm64", readyToRunLinuxArm64.architecture());
    assertEquals("linux", readyToRunLinuxArm64.targetOs());
    assertFalse(readyToRunLinuxArm64.architectureIndependent());

    Executable readyToRunWindowsAmd64 = pe(0x8664, true, true, 0x2008).orElseThrow();
    assertEquals("amd64", readyToRunWindowsAmd64.architecture());
    assertEquals("windows", readyToRunWindowsAmd64.targetOs());
  }

  @Test
  void peWithTheSignatureFarIntoTheFile() {
    byte[] bytes = peBytes(0xAA64, true, false, 0, 0x2000);
    assertEquals("arm64", ExecutableReader.read(bytes).orElseThrow().architecture());
  }

  @Test
  void dosProgramsAndBrokenPe() {
    byte[] dos = new byte[256];
    dos[0] = 'M';
    dos[1] = 'Z';
    assertTrue(ExecutableReader.read(dos).isEmpty(), "MZ without a PE header: a DOS program");
    byte[] truncated = java.util.Arrays.copyOf(peBytes(0x8664, true, false, 0, 0x80), 0x82);
    assertTrue(ExecutableReader.read(truncated).isEmpty());
    byte[] far = peBytes(0x8664, true, false, 0, 0x80);
    ByteBuffer.wrap(far).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3c, 10_000_000);
    assertTrue(ExecutableReader.read(far).isEmpty(), "e_lfanew beyond what is read");
  }

  // ------------------------------------------------------------------------------------- helpers

  private static Executable read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ExecutableReader.read(in).orElseThrow(() -> new AssertionError("not an executable: " + file));
    }
  }

  private static Executable elf(int elfClass, int data, int machine, int flags) {
    return ExecutableReader.read(elfBytes(elfClass, data, machine, flags)).orElseThrow();
  }

  /** An ELF header with no program headers. */
  static byte[] elfBytes(int elfClass, int data, int machine, int flags) {
    ByteBuffer b = ByteBuffer.allocate(64).order(data == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) data, 1, 0});
    b.position(16);
    b.putShort((short) 2); // ET_EXEC
    b.putShort((short) machine);
    b.putInt(1);
    if (elfClass == 2) {
      b.putLong(0x400000).putLong(0).putLong(0).putInt(flags).putShort((short) 64).putShort((short) 56)
          .putShort((short) 0);
    } else {
      b.putInt(0x10000).putInt(0).putInt(0).putInt(flags).putShort((short) 52).putShort((short) 32)
          .putShort((short) 0);
    }
    return b.array();
  }

  private static Optional<Executable> pe(int machine, boolean pe32Plus, boolean dll, int clrRva) {
    return ExecutableReader.read(peBytes(machine, pe32Plus, dll, clrRva, 0x80));
  }

  /**
   * A PE file's headers as a linker writes them: DOS header with e_lfanew, "PE\0\0", COFF header, optional header
   * with 16 data directories (the CLR runtime header is the 15th).
   */
  static byte[] peBytes(int machine, boolean pe32Plus, boolean dll, int clrRva, int lfanew) {
    int optionalSize = pe32Plus ? 240 : 224;
    ByteBuffer b = ByteBuffer.allocate(lfanew + 24 + optionalSize).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) 'M').put(1, (byte) 'Z');
    b.putInt(0x3c, lfanew);
    b.put(lfanew, (byte) 'P').put(lfanew + 1, (byte) 'E');
    b.putShort(lfanew + 4, (short) machine);
    b.putShort(lfanew + 6, (short) 3); // sections
    b.putShort(lfanew + 20, (short) optionalSize);
    b.putShort(lfanew + 22, (short) (0x0002 | (dll ? 0x2000 : 0) | (pe32Plus ? 0x0020 : 0x0100)));
    int optional = lfanew + 24;
    b.putShort(optional, (short) (pe32Plus ? 0x20b : 0x10b));
    b.putInt(optional + (pe32Plus ? 108 : 92), 16); // NumberOfRvaAndSizes
    int directories = optional + (pe32Plus ? 112 : 96);
    b.putInt(directories + 14 * 8, clrRva);
    b.putInt(directories + 14 * 8 + 4, clrRva == 0 ? 0 : 72);
    return b.array();
  }

  /** Counts what the reader takes from a file. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  @Test
  void readsFromAStreamThatGivesFewBytesAtATime() throws IOException {
    byte[] bytes = Files.readAllBytes(Compilers.hello("linux/arm64"));
    InputStream trickle = new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 7));
      }
    };
    assertEquals("arm64", ExecutableReader.read(trickle).orElseThrow().architecture());
  }
}
