package io.github.multiarch.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void sha256OfTheEmptyString() {
    assertEquals("sha256:" + EMPTY_SHA256, Digest.sha256(new byte[0]).toString());
    assertEquals("sha256:" + EMPTY_SHA256, Digest.sha256("").toString());
  }

  @Test
  void sha256OfKnownText() {
    // echo -n abc | sha256sum
    assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Digest.sha256("abc").toString());
    assertEquals(Digest.sha256("héllo"), Digest.sha256("héllo".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void parsesSha256AndSha512() {
    Digest d = Digest.parse("sha256:" + EMPTY_SHA256);
    assertEquals("sha256", d.algorithm());
    assertEquals(EMPTY_SHA256, d.hex());
    assertEquals(EMPTY_SHA256.substring(0, 12), d.shortHex());
    assertEquals(Digest.sha256(""), d);
    assertEquals(Digest.sha256("").hashCode(), d.hashCode());

    Digest d512 = Digest.parse("sha512:" + "ab".repeat(64));
    assertEquals("sha512", d512.algorithm());
    assertEquals("sha512:" + "ab".repeat(64), d512.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
      "sha256:e3b0c442",
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550",
      "sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "md5:d41d8cd98f00b204e9800998ecf8427e",
      "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "",
      ":"})
  void refusesWhatIsNotADigest(String text) {
    MultiarchException e = assertThrows(MultiarchException.class, () -> Digest.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertFalse(Digest.isValid(text));
  }

  @Test
  void refusesNull() {
    assertThrows(MultiarchException.class, () -> Digest.parse(null));
    assertFalse(Digest.isValid(null));
  }

  @Test
  void isValidAcceptsAGoodDigest() {
    assertTrue(Digest.isValid("sha256:" + EMPTY_SHA256));
  }

  @Test
  void matchesComparesDigesterOutput() {
    Digest d = Digest.sha256("content");
    assertTrue(d.matches(d.newDigester().digest("content".getBytes(StandardCharsets.UTF_8))));
    assertFalse(d.matches(d.newDigester().digest("contenT".getBytes(StandardCharsets.UTF_8))));
    Digest d512 = Digest.parse("sha512:" + "0".repeat(128));
    assertEquals("SHA-512", d512.newDigester().getAlgorithm());
  }

  @Test
  void ordersByText() {
    Digest a = Digest.parse("sha256:" + "a".repeat(64));
    Digest b = Digest.parse("sha256:" + "b".repeat(64));
    assertTrue(a.compareTo(b) < 0);
    assertNotEquals(a, b);
    assertEquals(0, a.compareTo(Digest.parse(a.toString())));
  }

  @Test
  void fromSha256WrapsRawBytes() {
    byte[] raw = Digest.newSha256().digest(new byte[0]);
    assertEquals("sha256:" + EMPTY_SHA256, Digest.fromSha256(raw).toString());
  }
}
