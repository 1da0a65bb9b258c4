package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.check.VerifyReport.Check;
import io.github.multiarch.layer.LayerBuilder;
import io.github.multiarch.layer.LayerFile;
import io.github.multiarch.layer.LayerFormat;
import io.github.multiarch.layer.LayerSpec;
import io.github.multiarch.layout.OciLayout;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binaries check on Windows images (files below Files/, a real MinGW-w64 PE) and on PE files in Linux
 * images.
 */
class WindowsBinariesTest {
  @TempDir
  Path temp;

  /** A Windows layer as the plugin builds it, with {@code file} at C:\app\greet.exe. */
  private byte[] windowsLayer(Path file) throws Exception {
    OciLayout layout = OciLayout.create(temp.resolve("built"));
    var layer = new LayerBuilder(Instant.EPOCH).build(new LayerSpec("app", List.of(
        new LayerFile(file, "C:\\app\\greet.exe", 0755))), LayerFormat.WINDOWS, layout, "layers");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.blobPath(layer.digest())))) {
      return in.readAllBytes();
    }
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(temp.resolve(name), bytes);
  }

  private CheckFixture check(String platform, byte[] tar, VerifyRequest request) throws Exception {
    Path layoutDir = temp.resolve("layout");
    HandLayout hand = new HandLayout(layoutDir);
    hand.index("1", List.of(hand.image(platform, platform, List.of(tar), List.of("greet.exe"))));
    CheckFixture f = CheckFixture.read(layoutDir, request);
    new LayersCheck(f.context).check();
    return f;
  }

  @Test
  void anAmd64ProgramBelowFilesPassesOnWindowsAmd64() throws Exception {
    try (CheckFixture f = check("windows/amd64", windowsLayer(Compilers.windowsGreet()), CheckFixture.request())) {
      assertEquals(CheckStatus.PASS, f.row("windows/amd64").result(Check.BINARIES), f.failures());
      assertTrue(details(f, "windows/amd64").contains("1 executable for amd64"),
          details(f, "windows/amd64"));
    }
  }

  @Test
  void anAmd64ProgramFailsOnWindowsArm64NamingTheContainerPath() throws Exception {
    try (CheckFixture f = check("windows/arm64", windowsLayer(Compilers.windowsGreet()), CheckFixture.request())) {
      assertEquals(CheckStatus.FAIL, f.row("windows/arm64/v8").result(Check.BINARIES));
      assertTrue(f.failures().contains("/app/greet.exe is built for amd64 (PE32+ executable, x86-64)"),
          f.failures());
    }
  }

  @Test
  void anArm64ProgramFailsOnWindowsAmd64() throws Exception {
    Path arm64 = write("arm64.exe", ExecutableReaderTest.peBytes(0xAA64, true, false, 0, 0x80));
    try (CheckFixture f = check("windows/amd64", windowsLayer(arm64), CheckFixture.request())) {
      assertEquals(CheckStatus.FAIL, f.row("windows/amd64").result(Check.BINARIES));
      assertTrue(f.failures().contains("/app/greet.exe is built for arm64"), f.failures());
    }
  }

  @Test
  void anElfProgramFailsInAWindowsImage() throws Exception {
    Path elf = Compilers.hello("linux/amd64");
    try (CheckFixture f = check("windows/amd64", windowsLayer(elf), CheckFixture.request())) {
      assertEquals(CheckStatus.FAIL, f.row("windows/amd64").result(Check.BINARIES));
      assertTrue(f.failures().contains("/app/greet.exe is ELF 64-bit LSB executable"), f.failures());
      assertTrue(f.failures().contains("windows/amd64 cannot run: Windows runs PE programs only"), f.failures());
      assertTrue(details(f, "windows/amd64").contains("1 for other systems"), details(f, "windows/amd64"));
    }
  }

  @Test
  void hivesAndUtilityVmAreNotTheContainersFiles() throws Exception {
    byte[] elf = Files.readAllBytes(Compilers.hello("linux/amd64"));
    byte[] tar = Tars.layer().dir("Hives").dir("Files").file("Hives/odd", elf, 0755)
        .file("UtilityVM/Files/odd", elf, 0755).file("Files/app.exe", Files.readAllBytes(Compilers.windowsGreet()),
            0755).tar();
    try (CheckFixture f = check("windows/amd64", tar, CheckFixture.request())) {
      assertEquals(CheckStatus.PASS, f.row("windows/amd64").result(Check.BINARIES), f.failures());
    }
  }

  @Test
  void binaryCheckIgnoreTakesTheContainerPath() throws Exception {
    VerifyRequest ignoring = new VerifyRequest(List.of(), null, BinaryCheck.FAIL,
        List.of(PathGlob.parse("binaryCheckIgnore", "/app/**")), null);
    try (CheckFixture f = check("windows/amd64", windowsLayer(Compilers.hello("linux/amd64")), ignoring)) {
      assertEquals(CheckStatus.PASS, f.row("windows/amd64").result(Check.BINARIES), f.failures());
      assertTrue(details(f, "windows/amd64").contains("1 ignored by binaryCheckIgnore"),
          details(f, "windows/amd64"));
    }
  }

  @Test
  void aNativeWindowsProgramFailsInALinuxImage() throws Exception {
    byte[] tar = Tars.layer().file("app/greet.exe", Compilers.windowsGreet(), 0755).tar();
    try (CheckFixture f = check("linux/amd64", tar, CheckFixture.request())) {
      assertEquals(CheckStatus.FAIL, f.row("linux/amd64").result(Check.BINARIES));
      assertTrue(f.failures().contains("/app/greet.exe is PE32+ executable, x86-64, which linux/amd64 cannot run: "
          + "a native Windows program (PE), which linux does not load"), f.failures());
    }
  }

  @Test
  void aManagedAssemblyPassesInALinuxImage() throws Exception {
    byte[] anyCpu = ExecutableReaderTest.peBytes(0x14c, false, true, 0x2008, 0x80);
    byte[] tar = Tars.layer().file("app/App.dll", anyCpu, 0644).tar();
    try (CheckFixture f = check("linux/amd64", tar, CheckFixture.request())) {
      assertEquals(CheckStatus.PASS, f.row("linux/amd64").result(Check.BINARIES), f.failures());
    }
  }

  private static String details(CheckFixture f, String platform) {
    return String.join("; ", f.row(platform).details());
  }
}
