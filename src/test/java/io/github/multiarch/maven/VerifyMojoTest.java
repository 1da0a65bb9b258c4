package io.github.multiarch.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.multiarch.oci.Platform;
import io.github.multiarch.testing.TestImages;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify goal as Maven configures it: the build's platforms as the default of requiredPlatforms (from the
 * plugin's configuration or from the build execution's), the summary in the log, the failure listing every
 * finding, and bad input named by POM element and -D property.
 */
@MojoTest
class VerifyMojoTest {
  private static final String POM = "src/test/resources/unit/verify-platforms/pom.xml";

  @TempDir
  Path target;

  /** Keeps what the mojo logs. */
  static final class Lines extends SystemStreamLog {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(CharSequence content) {
      lines.add("[INFO] " + content);
    }

    @Override
    public void warn(CharSequence content) {
      lines.add("[WARNING] " + content);
    }

    @Override
    public void error(CharSequence content) {
      lines.add("[ERROR] " + content);
    }

    String text() {
      return String.join("\n", lines);
    }
  }

  private Lines prepare(VerifyMojo mojo, List<String> built) {
    mojo.layout = TestImages.build(target, "1.0", built, "seed", 0).layout().getParent().toFile();
    mojo.verifyDirectory = target.resolve("verify").toFile();
    Lines log = new Lines();
    mojo.setLog(log);
    return log;
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void theBuildsPlatformsAreRequiredByDefault(VerifyMojo mojo) throws Exception {
    assertEquals(3, mojo.platforms.size(), "the plugin-level <platforms> reach verify");
    assertEquals("fail", mojo.binaryCheck);
    Lines log = prepare(mojo, TestImages.THREE_PLATFORMS);
    mojo.execute();
    String text = log.text();
    assertTrue(text.contains("[INFO] multiarch: verified OCI layout "), text);
    assertTrue(text.contains("[INFO]   linux/arm64/v8         PASS      PASS         PASS      -      -       2 layers"), text);
    assertTrue(text.contains("[INFO]   index                  PASS      PASS         -         -      -       all 3 required "
        + "platforms present"), text);
    assertTrue(text.contains("[INFO]   result: PASS"), text);
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void aMissingPlatformOfTheBuildFailsTheGoal(VerifyMojo mojo) {
    Lines log = prepare(mojo, List.of("linux/amd64", "linux/arm/v7"));
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("failed verification with 1 failure:\n  - index: required platforms: missing "
        + "required platform linux/arm64/v8; the index has linux/amd64, linux/arm/v7 (required: the build's "
        + "<platforms>)"), e.getMessage());
    assertTrue(!log.text().contains("[ERROR]"), "the failures are in the exception's message only: " + log.text());
    assertTrue(log.text().contains("result: FAIL (1 failure, 0 warnings)"), log.text());
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void requiredPlatformsReplaceTheBuilds(VerifyMojo mojo) throws Exception {
    prepare(mojo, List.of("linux/amd64"));
    mojo.requiredPlatforms = List.of("linux/x86_64");
    mojo.execute();
  }

  @Test
  void theBuildExecutionsPlatformsAreReadFromThePom() throws Exception {
    String pom = "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId>"
        + "<version>1</version><build><plugins><plugin><groupId>io.github.multiarch</groupId>"
        + "<artifactId>multiarch-maven-plugin</artifactId><executions><execution><goals><goal>build</goal></goals>"
        + "<configuration><platforms><platform>linux/s390x</platform><platform><os>windows</os>"
        + "<architecture>amd64</architecture><osVersion>10.0.20348.2655</osVersion></platform></platforms>"
        + "</configuration></execution></executions></plugin></plugins></build></project>";
    Model model = new MavenXpp3Reader().read(new StringReader(pom));
    VerifyMojo mojo = new VerifyMojo();
    mojo.project = new MavenProject(model);
    assertEquals(List.of(Platform.parse("p", "linux/s390x"),
        Platform.parse("p", "windows/amd64").withOsVersion("10.0.20348.2655")), mojo.buildPlatforms());
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void badInputNamesTheParameter(VerifyMojo mojo) {
    prepare(mojo, List.of("linux/amd64"));
    mojo.requiredPlatforms = List.of("linux/amd65");
    assertEquals("<requiredPlatforms> (-Dmultiarch.requiredPlatforms): unknown architecture 'amd65' in platform "
        + "'linux/amd65'", message(mojo).split(";")[0]);
    mojo.requiredPlatforms = null;
    mojo.binaryCheck = "sometimes";
    assertEquals("<binaryCheck> (-Dmultiarch.binaryCheck): unknown value 'sometimes'; valid: fail, warn, off",
        message(mojo));
    mojo.binaryCheck = "warn";
    mojo.smokeRun = true;
    mojo.smokeExpect = "hello (";
    assertTrue(message(mojo).startsWith("<smokeExpect> (-Dmultiarch.smokeExpect): not a regular expression: "),
        message(mojo));
    mojo.smokeExpect = null;
    mojo.smokeTimeout = 0;
    assertEquals("<smokeTimeout> (-Dmultiarch.smokeTimeout): smokeTimeout 0 is out of range; valid: 1 to 3600 "
        + "seconds (default 60)", message(mojo));
    mojo.smokeTimeout = 60;
    mojo.smokeRun = false;
    mojo.verifySource = "cloud";
    assertEquals("<verifySource> (-Dmultiarch.verifySource): unknown value 'cloud'; valid: auto, layout, registry",
        message(mojo));
    mojo.verifySource = "layout";
    mojo.layout = target.resolve("nothing").toFile();
    assertTrue(message(mojo).startsWith("<layout> (-Dmultiarch.layout): no OCI layout at "), message(mojo));
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void inTheLifecycleTheImageIsThePushTargetAndTheLayoutIsVerified(VerifyMojo mojo) throws Exception {
    Lines log = prepare(mojo, TestImages.THREE_PLATFORMS);
    mojo.image = "registry.invalid/team/app"; // not contacted: no command-line execution, source auto
    mojo.execute();
    assertTrue(log.text().contains("multiarch: verifying OCI layout "), log.text());
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void withoutALayoutTheBuildsOutputDirectoryIsVerified(VerifyMojo mojo) throws Exception {
    assertNull(mojo.layout, "no default of its own");
    assertTrue(mojo.outputDirectory.getPath().endsWith("images-from-the-pom"), mojo.outputDirectory.getPath());
    Lines log = prepare(mojo, TestImages.THREE_PLATFORMS);
    mojo.outputDirectory = mojo.layout; // where a build configured as in the POM wrote its output
    mojo.layout = null;
    mojo.execute();
    assertTrue(log.text().contains("multiarch: verifying OCI layout " + mojo.outputDirectory.toPath().resolve("oci")),
        log.text());
  }

  @Test
  @InjectMojo(goal = "verify", pom = POM)
  void skips(VerifyMojo mojo) throws Exception {
    Lines log = prepare(mojo, List.of("linux/amd64"));
    mojo.skipVerify = true;
    mojo.execute();
    assertEquals(List.of("[INFO] multiarch: verify skipped (multiarch.skipVerify)"), log.lines);
  }

  private static String message(VerifyMojo mojo) {
    return assertThrows(MojoFailureException.class, mojo::execute).getMessage();
  }
}
