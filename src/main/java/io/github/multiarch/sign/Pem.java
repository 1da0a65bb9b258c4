package io.github.multiarch.sign;

import io.github.multiarch.oci.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text (RFC 7468): blocks of base64 between {@code -----BEGIN type-----} and {@code -----END type-----}.
 * RFC 1421 headers such as {@code Proc-Type: 4,ENCRYPTED} (OpenSSL's legacy encrypted keys) are kept apart,
 * so a caller can refuse them by name.
 */
final class Pem {
  /** Key files are a few kilobytes; anything much larger is not one. */
  private static final long MAX_BYTES = 1024 * 1024;

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

  /** One block: its type label, whether it carries RFC 1421 headers, and its decoded bytes. */
  record Block(String type, boolean hasHeaders, byte[] der) {}

  private Pem() {}

  /**
   * Every PEM block of {@code file}. Refuses, naming {@code parameter}, a file that is missing, unreadable or
   * holds no PEM block; {@code expected} says what the file should be.
   */
  static List<Block> read(Path file, String parameter, String expected) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InvalidInputException(parameter, parameter + " " + file + " is over 1 MiB, too large for "
            + expected);
      }
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(parameter, parameter + " " + file + " does not exist; expected " + expected);
    } catch (IOException e) {
      throw new InvalidInputException(parameter, parameter + " " + file + " cannot be read (" + e + ")", e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      String body = matcher.group(2);
      boolean hasHeaders = false;
      StringBuilder base64 = new StringBuilder();
      for (String line : body.split("\\r?\\n")) {
        if (line.contains(":")) {
          hasHeaders = true;
        } else {
          base64.append(line.strip());
        }
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(base64.toString());
      } catch (IllegalArgumentException e) {
        // the message names neither the text nor the decoder's complaint: the block may hold key material
        throw new InvalidInputException(parameter, parameter + " " + file + ": the PEM block '" + matcher.group(1)
            + "' is not valid base64; expected " + expected);
      }
      blocks.add(new Block(matcher.group(1), hasHeaders, der));
    }
    if (blocks.isEmpty()) {
      throw new InvalidInputException(parameter, parameter + " " + file + " is not a PEM file (no -----BEGIN … "
          + "----- block); expected " + expected);
    }
    return blocks;
  }

  /** {@code der} as a PEM block of {@code type}, base64 in lines of 64 characters as RFC 7468 writes it. */
  static String write(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
