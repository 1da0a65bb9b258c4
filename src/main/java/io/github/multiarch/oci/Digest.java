package io.github.multiarch.oci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:0123…}, always over exact bytes. */
public final class Digest implements Comparable<Digest> {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  private final String algorithm;
  private final String hex;

  private Digest(String algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /** Parses {@code algorithm:hex}; only sha256 and sha512, lowercase hex, as the image spec registers. */
  public static Digest parse(String text) {
    if (text == null) {
      throw new MultiarchException("missing digest");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new MultiarchException("not a digest: '" + text + "' (expected sha256:<64 hex digits>)");
    }
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    boolean valid = switch (algorithm) {
      case "sha256" -> SHA256.matcher(hex).matches();
      case "sha512" -> SHA512.matcher(hex).matches();
      default -> false;
    };
    if (!valid) {
      throw new MultiarchException("not a digest: '" + text + "' (expected sha256:<64 lowercase hex digits>)");
    }
    return new Digest(algorithm, hex);
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (MultiarchException e) {
      return false;
    }
  }

  public static Digest sha256(byte[] bytes) {
    return fromSha256(newSha256().digest(bytes));
  }

  public static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps the 32 bytes a {@link #newSha256()} digester produced. */
  public static Digest fromSha256(byte[] digestBytes) {
    return new Digest("sha256", HexFormat.of().formatHex(digestBytes));
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A fresh digester for this digest's algorithm, to check content against it. */
  public MessageDigest newDigester() {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /** True when {@code digestBytes} (from {@link #newDigester()}) is this digest. */
  public boolean matches(byte[] digestBytes) {
    return HexFormat.of().formatHex(digestBytes).equals(hex);
  }

  public String algorithm() {
    return algorithm;
  }

  public String hex() {
    return hex;
  }

  /** The first 12 hex digits, for tables meant for people. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm.equals(algorithm) && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
