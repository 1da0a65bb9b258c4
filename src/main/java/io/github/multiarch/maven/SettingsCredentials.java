package io.github.multiarch.maven;

import io.github.multiarch.credentials.CredentialSource;
import io.github.multiarch.oci.InvalidInputException;
import io.github.multiarch.registry.Credential;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * A {@code <server>} of Maven's settings whose id is the registry's host with its port, or the host alone.
 * Encrypted passwords are decrypted with Maven's {@code settings-security.xml}.
 */
final class SettingsCredentials implements CredentialSource {
  private final Settings settings;
  private final SettingsDecrypter decrypter;

  SettingsCredentials(Settings settings, SettingsDecrypter decrypter) {
    this.settings = settings;
    this.decrypter = decrypter;
  }

  @Override
  public Optional<Credential> find(String registry) {
    String host = registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
    for (String id : new String[] {registry, host}) {
      Server server = settings.getServer(id);
      if (server == null || server.getUsername() == null) {
        continue;
      }
      Server decrypted = decrypted(server, id);
      return Optional.of(new Credential(decrypted.getUsername(), decrypted.getPassword(),
          "settings.xml <server> '" + id + "'"));
    }
    return Optional.empty();
  }

  /** The (decrypted) password of the {@code <server>} with this id, if there is one with a password. */
  Optional<String> password(String id) {
    Server server = settings.getServer(id);
    if (server == null || server.getPassword() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(decrypted(server, id).getPassword());
  }

  private Server decrypted(Server server, String id) {
    if (decrypter == null) {
      return server;
    }
    SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new InvalidInputException("settings", "cannot decrypt the password of <server> '" + id
            + "' in settings.xml: " + reason(problem) + ". Check the master password in settings-security.xml "
            + "(~/.m2/settings-security.xml, or the file -Dsettings.security names), or encrypt the password "
            + "again with mvn --encrypt-password");
      }
    }
    return result.getServer();
  }

  /**
   * What went wrong, without the chain of exception class names Maven's decrypter puts in its message
   * ({@code …SecDispatcherException: …PlexusCipherException: javax.crypto.BadPaddingException: Given final
   * block not properly padded…}): the innermost cause's own words.
   */
  private static String reason(SettingsProblem problem) {
    Throwable innermost = problem.getException();
    while (innermost != null && innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    String text = innermost != null && innermost.getMessage() != null ? innermost.getMessage() : problem.getMessage();
    // whatever chain is left in the text: keep what follows the last "SomethingException: "
    String[] parts = text.split("[\\w.$]+(Exception|Error): ");
    String last = parts.length == 0 ? text : parts[parts.length - 1].trim();
    if (last.isEmpty()) {
      last = "the decryption failed";
    }
    if (innermost instanceof javax.crypto.BadPaddingException || last.contains("bad key")) {
      return "it does not decrypt with that master password (" + last.replaceAll("\\.$", "") + ")";
    }
    return last.replaceAll("\\.$", "");
  }
}
