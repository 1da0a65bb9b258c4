package io.github.multiarch.sign;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of ASN.1 DER that reading key files needs (ITU-T X.690 section 8 and 10): walk the elements of a
 * structure, and write a SEQUENCE, an INTEGER, an OID or an OCTET STRING. The JDK has no public API for this and
 * the project uses no library beyond it for cryptography.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;

  /** One element: its tag byte and the exact bytes of its content. */
  record Element(int tag, byte[] content) {
    /** The elements inside a constructed element (SEQUENCE, or an explicit context tag such as [0]). */
    List<Element> children() {
      return parseAll(content);
    }
  }

  private Der() {}

  /** Reads {@code bytes} as one element that spans all of them. */
  static Element parse(byte[] bytes) {
    List<Element> all = parseAll(bytes);
    if (all.size() != 1) {
      throw new IllegalArgumentException("not a single DER element");
    }
    return all.get(0);
  }

  static List<Element> parseAll(byte[] bytes) {
    List<Element> elements = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      int tag = bytes[at++] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new IllegalArgumentException("multi-byte DER tags are not used in key files");
      }
      if (at >= bytes.length) {
        throw new IllegalArgumentException("DER element without a length");
      }
      int first = bytes[at++] & 0xff;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 4 || at + count > bytes.length) {
          throw new IllegalArgumentException("bad DER length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (bytes[at++] & 0xff);
        }
      }
      if (length > bytes.length - at) {
        throw new IllegalArgumentException("DER element longer than its data");
      }
      byte[] content = new byte[(int) length];
      System.arraycopy(bytes, at, content, 0, content.length);
      at += content.length;
      elements.add(new Element(tag, content));
    }
    return elements;
  }

  /** An OBJECT IDENTIFIER's content in dotted form (X.690 section 8.19). */
  static String oid(byte[] content) {
    StringBuilder dotted = new StringBuilder();
    long value = 0;
    boolean first = true;
    for (byte b : content) {
      value = (value << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) {
        if (first) {
          int top = value < 80 ? (int) (value / 40) : 2;
          dotted.append(top).append('.').append(value - top * 40L);
          first = false;
        } else {
          dotted.append('.').append(value);
        }
        value = 0;
      }
    }
    return dotted.toString();
  }

  static byte[] element(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    } else {
      throw new IllegalArgumentException("DER element too long for a key file");
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
