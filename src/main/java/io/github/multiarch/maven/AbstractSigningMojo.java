package io.github.multiarch.maven;

import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.ManifestSigner;
import io.github.multiarch.registry.Parallel;
import io.github.multiarch.sign.CosignSigner;
import io.github.multiarch.sign.SigningKey;
import java.io.File;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that write manifests to a registry and can sign them: {@code push}, {@code create}, {@code annotate}
 * and {@code sign}. The key's password is never a parameter (Maven prints parameters with {@code -X}).
 */
public abstract class AbstractSigningMojo extends AbstractRegistryMojo {
  /** The environment variable holding the signing key's password. */
  static final String SIGNING_PASSWORD_VARIABLE = "MULTIARCH_SIGNING_KEY_PASSWORD";

  /**
   * Signs the index and every platform's manifest with this ECDSA P-256 private key (PEM: PKCS#8, encrypted
   * PKCS#8 or SEC1). Its password comes from {@code MULTIARCH_SIGNING_KEY_PASSWORD} or the settings.xml
   * {@code <server>} named by {@code signingKeyServer}, never from a parameter.
   */
  @Parameter(property = "multiarch.signingKey")
  File signingKey;

  /** {@code bundle} (cosign 3), {@code legacy} (cosign 2's {@code .sig} tag) or {@code both}. */
  @Parameter(property = "multiarch.signatureFormat", defaultValue = "both")
  String signatureFormat;

  /** The settings.xml {@code <server>} whose {@code <password>} decrypts {@code signingKey}. */
  @Parameter(property = "multiarch.signingKeyServer", defaultValue = "multiarch-signing-key")
  String signingKeyServer;

  /**
   * {@link #signer()} on a thread of its own, done at once when no key is set. Reading the key and checking it
   * against its public half is mostly class loading on a cold JVM, so a goal reads its images meanwhile; it waits
   * for the signer before it changes anything, so that a bad key or password still stops it first. The goal
   * waits for the future before it ends, even when it fails.
   */
  CompletableFuture<ManifestSigner> signerInBackground() {
    if (signatureFormat != null) {
      CosignSigner.Format.parse(signatureFormat, "signatureFormat"); // a wrong value is refused, key or no key
    }
    return signingKey == null ? CompletableFuture.completedFuture(null)
        : Parallel.start("multiarch-signing-key", this::signer);
  }

  /**
   * The signer of {@code signingKey}, loaded (and its password checked) before anything is pushed; null when no
   * key is set.
   */
  ManifestSigner signer() {
    if (signingKey == null) {
      return null;
    }
    CosignSigner.Format format = CosignSigner.Format.parse(signatureFormat, "signatureFormat");
    Map<String, String> env = environment != null ? environment : System.getenv();
    String password = env.get(SIGNING_PASSWORD_VARIABLE);
    if (password != null && password.isEmpty()) {
      password = null; // set but empty: as good as unset (CI systems export undefined secrets that way)
    }
    String passwordSource = SIGNING_PASSWORD_VARIABLE;
    if (password == null && session != null && session.getSettings() != null) {
      password = new SettingsCredentials(session.getSettings(), settingsDecrypter).password(signingKeyServer)
          .orElse(null);
      passwordSource = "settings.xml <server> '" + signingKeyServer + "'";
    }
    char[] chars = password == null ? null : password.toCharArray();
    SigningKey key;
    try {
      key = SigningKey.load(signingKey.toPath(), chars, "signingKey");
    } catch (InvalidInputException e) {
      if (!e.getMessage().contains("password")) {
        throw e; // a missing file, not a key, another algorithm: where a password comes from is beside the point
      }
      throw new InvalidInputException("signingKey", e.getMessage() + (password == null
          ? " (the password is read from " + SIGNING_PASSWORD_VARIABLE + " or the <password> of settings.xml <server> '"
              + signingKeyServer + "')" : " (password from " + passwordSource + ")"), e);
    } finally {
      if (chars != null) {
        Arrays.fill(chars, '\0');
      }
    }
    getLog().info("multiarch: signing with the key " + signingKey + " (public key hint " + key.hint() + "), format "
        + format.name().toLowerCase(java.util.Locale.ROOT));
    return new CosignSigner(key, format, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }
}
