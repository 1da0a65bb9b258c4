package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.check.ArchitectureJudge.Verdict;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.oci.Platform;
import org.junit.jupiter.api.Test;

/** Which executables run on which platform; path patterns; the binaryCheck values. */
class ArchitectureJudgeTest {
  private static Verdict judge(byte[] header, String platform) {
    return ArchitectureJudge.judge(ExecutableReader.read(header).orElseThrow(), Platform.parse("p", platform))
        .verdict();
  }

  private static byte[] elf(int machine) {
    return ExecutableReaderTest.elfBytes(2, 1, machine, 0);
  }

  @Test
  void elfFilesOnLinux() {
    assertEquals(Verdict.MATCH, judge(elf(183), "linux/arm64"));
    assertEquals(Verdict.MATCH, judge(elf(183), "linux/arm64/v8.2"));
    assertEquals(Verdict.MISMATCH, judge(elf(62), "linux/arm64"));
    assertEquals(Verdict.MISMATCH, judge(ExecutableReaderTest.elfBytes(2, 2, 21, 0), "linux/ppc64le"),
        "big-endian ppc64 does not run on ppc64le");
    assertEquals(Verdict.COMPATIBLE, judge(ExecutableReaderTest.elfBytes(1, 1, 3, 0), "linux/amd64"));
    assertEquals(Verdict.COMPATIBLE, judge(ExecutableReaderTest.elfBytes(1, 1, 40, 0x5000400), "linux/arm64"));
    assertEquals(Verdict.MATCH, judge(ExecutableReaderTest.elfBytes(1, 1, 40, 0x5000200), "linux/arm/v5"),
        "soft-float runs on armel");
    assertEquals(Verdict.MISMATCH, judge(ExecutableReaderTest.elfBytes(1, 1, 40, 0x5000400), "linux/arm/v5"));
    assertEquals(Verdict.MATCH, judge(ExecutableReaderTest.elfBytes(1, 1, 40, 0x5000400), "linux/arm/v6"),
        "Raspbian's armhf is v6 with hard float");
  }

  @Test
  void objectFilesAreNotJudged() {
    byte[] object = elf(62);
    object[16] = 1; // ET_REL
    assertEquals(Verdict.IGNORED, judge(object, "linux/arm64"));
  }

  @Test
  void peFilesAreJudgedOnWindowsAndForDotNetReadyToRun() {
    byte[] amd64Exe = ExecutableReaderTest.peBytes(0x8664, true, false, 0, 0x80);
    assertEquals(Verdict.MATCH, judge(amd64Exe, "windows/amd64"));
    assertEquals(Verdict.MISMATCH, judge(amd64Exe, "windows/arm64"));
    // until Windows layers were built, both were IGNORED; neither can run where it is
    assertEquals(Verdict.WRONG_OS, judge(amd64Exe, "linux/amd64"), "a native Windows program in a Linux image");
    assertEquals(Verdict.WRONG_OS, judge(amd64Exe, "linux/arm64"));
    assertEquals(Verdict.WRONG_OS, judge(elf(62), "windows/amd64"), "an ELF program in a Windows image");
    assertEquals(Verdict.WRONG_OS, judge(elf(183), "windows/arm64"));
    byte[] anyCpu = ExecutableReaderTest.peBytes(0x14c, false, true, 0x2008, 0x80);
    assertEquals(Verdict.IGNORED, judge(anyCpu, "linux/arm64"));
    assertEquals(Verdict.IGNORED, judge(anyCpu, "windows/arm64"));
    byte[] linuxArm64ReadyToRun = ExecutableReaderTest.peBytes(0xAA64 ^ 0x7B79, true, true, 0x2008, 0x80);
    assertEquals(Verdict.MATCH, judge(linuxArm64ReadyToRun, "linux/arm64"));
    assertEquals(Verdict.MISMATCH, judge(linuxArm64ReadyToRun, "linux/amd64"));
    assertEquals(Verdict.COMPATIBLE, judge(ExecutableReaderTest.peBytes(0x14c, false, false, 0, 0x80),
        "windows/amd64"), "WOW64");
    byte[] windowsReadyToRun = ExecutableReaderTest.peBytes(0x8664, true, true, 0x2008, 0x80);
    assertEquals(Verdict.IGNORED, judge(windowsReadyToRun, "linux/arm64"), "managed: the runtime JITs its IL");
  }

  @Test
  void efiProgramsAreJudgedNowhere() {
    byte[] efi = ExecutableReaderTest.peBytes(0x8664, true, false, 0, 0x80);
    efi[0x80 + 24 + 68] = 10; // IMAGE_SUBSYSTEM_EFI_APPLICATION
    assertEquals("efi", ExecutableReader.read(efi).orElseThrow().targetOs());
    assertEquals(Verdict.IGNORED, judge(efi, "linux/amd64"), "shim or GRUB in a Linux image");
    assertEquals(Verdict.IGNORED, judge(efi, "windows/arm64"));
  }

  @Test
  void pathPatterns() {
    PathGlob firmware = PathGlob.parse("binaryCheckIgnore", "/lib/firmware/**");
    assertTrue(firmware.matches("/lib/firmware/a/b.elf"));
    assertFalse(firmware.matches("/usr/lib/firmware/a"));
    PathGlob modules = PathGlob.parse("binaryCheckIgnore", "*.ko");
    assertTrue(modules.matches("/lib/modules/6.1/x.ko"));
    assertTrue(modules.matches("/x.ko"));
    assertFalse(modules.matches("/x.kov"));
    PathGlob one = PathGlob.parse("binaryCheckIgnore", "/opt/?/bin/*");
    assertTrue(one.matches("/opt/a/bin/tool"));
    assertFalse(one.matches("/opt/a/bin/sub/tool"));
    assertEquals("binaryCheckIgnore", assertThrows(InvalidInputException.class,
        () -> PathGlob.parse("binaryCheckIgnore", " ")).parameter());
  }

  @Test
  void binaryCheckValues() {
    assertEquals(BinaryCheck.WARN, BinaryCheck.parse("binaryCheck", " Warn "));
    assertEquals(BinaryCheck.FAIL, BinaryCheck.parse("binaryCheck", null));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> BinaryCheck.parse("binaryCheck", "no"));
    assertEquals("unknown value 'no'; valid: fail, warn, off", e.getMessage());
  }

  @Test
  void qemuProgramNames() {
    assertEquals("qemu-aarch64-static", SmokeRunner.qemuProgram("arm64"));
    assertEquals("qemu-arm-static", SmokeRunner.qemuProgram("arm"));
    assertEquals("qemu-x86_64-static", SmokeRunner.qemuProgram("amd64"));
    assertEquals("qemu-i386-static", SmokeRunner.qemuProgram("386"));
    assertEquals("qemu-ppc64le-static", SmokeRunner.qemuProgram("ppc64le"));
    assertEquals("qemu-s390x-static", SmokeRunner.qemuProgram("s390x"));
    assertEquals("qemu-mips64el-static", SmokeRunner.qemuProgram("mips64le"));
    assertEquals("qemu-loongarch64-static", SmokeRunner.qemuProgram("loong64"));
  }
}
