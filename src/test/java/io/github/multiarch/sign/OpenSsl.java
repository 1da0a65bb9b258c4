package io.github.multiarch.sign;

import io.github.multiarch.testing.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Makes keys and checks signatures with the openssl command, so the tests judge our output by another tool. */
public final class OpenSsl {
  private OpenSsl() {}

  /** Runs openssl with {@code arguments}; fails (never skips) naming the Debian package when it is missing. */
  public static Tools.Result run(String... arguments) {
    Tools.require("openssl", "openssl");
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(arguments));
    return Tools.run(60, command);
  }

  /** A P-256 key in unencrypted PKCS#8, as the docs tell users to make one. */
  public static Path p256(Path dir, String name) {
    Path key = dir.resolve(name);
    run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString()).check();
    return key;
  }

  /** The public key of {@code privateKey} in PEM, as openssl writes it. */
  public static Path publicKey(Path privateKey, String password) {
    Path pub = privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    List<String> args = new ArrayList<>(List.of("pkey", "-in", privateKey.toString(), "-pubout", "-out",
        pub.toString()));
    if (password != null) {
      args.addAll(List.of("-passin", "pass:" + password));
    }
    run(args.toArray(String[]::new)).check();
    return pub;
  }

  /** openssl dgst -verify: exit code 0 when {@code derSignature} is {@code publicKey}'s SHA-256 ECDSA signature of {@code data}. */
  public static Tools.Result verify(Path publicKey, Path derSignature, Path data) {
    return run("dgst", "-sha256", "-verify", publicKey.toString(), "-signature", derSignature.toString(),
        data.toString());
  }
}
