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
      Server decrypted = server;
      if (decrypter != null) {
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
          if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
            throw new InvalidInputException("settings", "cannot decrypt the password of <server> '" + id
                + "' in settings.xml: " + problem.getMessage() + " (check settings-security.xml)");
          }
        }
        decrypted = result.getServer();
      }
      return Optional.of(new Credential(decrypted.getUsername(), decrypted.getPassword(),
          "settings.xml <server> '" + id + "'"));
    }
    return Optional.empty();
  }
}
