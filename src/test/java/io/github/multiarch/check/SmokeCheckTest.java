package io.github.multiarch.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.check.VerifyReport.Check;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke run on its own, after the consistency check has read the manifests and configs. */
class SmokeCheckTest {
  @TempDir
  Path temp;

  private VerifyRequest smoke(String expect, List<String> command) {
    return new VerifyRequest(List.of(), null, BinaryCheck.FAIL, List.of(), new VerifyRequest.Smoke(command,
        expect == null ? null : Pattern.compile(expect), Duration.ofSeconds(60), temp.resolve("smoke")));
  }

  private void writeHelloIndex() throws Exception {
    HandLayout hand = new HandLayout(temp.resolve("layout"));
    hand.index("1", List.of(
        hand.image("linux/amd64", "linux/amd64", List.of(hello("linux/amd64")), List.of("/hello")),
        hand.image("linux/s390x", "linux/s390x", List.of(hello("linux/s390x")), List.of("/hello"))));
  }

  @Test
  void everyPlatformRunsItsEntrypointNativelyOrUnderQemuAndPrintsWhatIsExpected() throws Exception {
    writeHelloIndex();
    try (CheckFixture f = CheckFixture.read(temp.resolve("layout"), smoke("hello from linux/", List.of()))) {
      new SmokeCheck(SmokeRunner.forHost()).check(f.context);
      assertTrue(f.context.report.failures().isEmpty(), f.failures());
      assertEquals(CheckStatus.PASS, f.row("linux/amd64").result(Check.SMOKE));
      assertEquals(CheckStatus.PASS, f.row("linux/s390x").result(Check.SMOKE));
    }
  }

  @Test
  void outputOtherThanExpectedFailsTheRunAndNamesTheCommand() throws Exception {
    writeHelloIndex();
    try (CheckFixture f = CheckFixture.read(temp.resolve("layout"), smoke("hello from windows", List.of()))) {
      new SmokeCheck(SmokeRunner.forHost()).check(f.context);
      assertEquals(CheckStatus.FAIL, f.row("linux/amd64").result(Check.SMOKE));
      assertTrue(f.context.report.failures().get(0).message().startsWith("/hello: "), f.failures());
    }
  }

  @Test
  void anImageThatCouldNotBeReadWholeIsSkippedAndSaysSo() throws Exception {
    writeHelloIndex();
    try (CheckFixture f = CheckFixture.read(temp.resolve("layout"), smoke(null, List.of()))) {
      f.context.images.get(1).layersReadable = false;
      new SmokeCheck(SmokeRunner.forHost()).check(f.context);
      assertEquals(CheckStatus.PASS, f.row("linux/amd64").result(Check.SMOKE));
      assertEquals(CheckStatus.SKIP, f.row("linux/s390x").result(Check.SMOKE));
      assertTrue(f.row("linux/s390x").details().contains("smoke run skipped: the image could not be read whole"),
          f.row("linux/s390x").details().toString());
    }
  }

  private static byte[] hello(String platform) throws Exception {
    return Tars.layer().file("hello", Compilers.hello(platform), 0755).tar();
  }
}
