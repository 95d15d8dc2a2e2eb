package io.linkgate.etf;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one encoded term, for decoders that walk a known shape (the forwarded {@code #message{}} record)
 * without building a term tree. It applies the same {@link EtfLimits} as {@link Etf#decode}: the input size, and the
 * nesting depth and term count shared with {@link #term(int)}, which decodes a sub-term the generic way where the
 * shape is not the expected one. Every method throws {@link EtfException} on truncated or malformed bytes.
 */
public final class EtfReader {
  private final EtfDecoder d;
  private final boolean inflated;

  private EtfReader(EtfDecoder d, boolean inflated) {
    this.d = d;
    this.inflated = inflated;
  }

  /** Opens {@code bytes[off, off + len)}: the version byte, then a plain or a compressed (tag 80) term. */
  public static EtfReader open(byte[] bytes, int off, int len, EtfLimits limits) {
    if (len == 0) {
      throw new EtfException("empty input");
    }
    if (len > limits.maxBytes()) {
      throw new EtfException("input of " + len + " bytes exceeds the limit of " + limits.maxBytes());
    }
    int version = bytes[off] & 0xFF;
    if (version != Tags.VERSION) {
      throw new EtfException("bad version byte " + version + " at offset 0, expected 131");
    }
    int end = off + len;
    if (len > 1 && (bytes[off + 1] & 0xFF) == Tags.COMPRESSED) {
      byte[] inflated = Zlib.inflate(bytes, off + 2, end, limits.maxBytes());
      return new EtfReader(new EtfDecoder(inflated, 0, inflated.length, limits, " of the inflated term"), true);
    }
    return new EtfReader(new EtfDecoder(bytes, off + 1, end, limits, ""), false);
  }

  /** The array positions refer to: the input, or the inflated term when the input was compressed. */
  public byte[] array() {
    return d.in;
  }

  /** Whether {@link #array()} is a fresh array inflated from a compressed input (no one else holds it). */
  public boolean inflated() {
    return inflated;
  }

  public int position() {
    return d.pos;
  }

  /** The next tag, not consumed. */
  public int peekTag() {
    d.need(1);
    return d.in[d.pos] & 0xFF;
  }

  /** Consumes a tuple header at {@code depth}; returns its arity, or -1 (nothing consumed) if no tuple is next. */
  public int tupleHeader(int depth) {
    int at = d.pos;
    int tag = peekTag();
    if (tag != Tags.SMALL_TUPLE && tag != Tags.LARGE_TUPLE) {
      return -1;
    }
    count(at);
    d.pos++;
    long n = tag == Tags.SMALL_TUPLE ? d.u8() : d.u32();
    d.nest(depth, at);
    return d.elements(n, 1, "tuple", at);
  }

  /** Consumes a map header at {@code depth}; returns its size, or -1 (nothing consumed) if no map is next. */
  public int mapHeader(int depth) {
    int at = d.pos;
    if (peekTag() != Tags.MAP) {
      return -1;
    }
    long n = lengthAfterTag(at);
    d.nest(depth, at);
    return d.elements(n, 2, "map", at);
  }

  /**
   * Consumes a proper-list header at {@code depth} ({@code []} gives 0); returns its length, or -1 (nothing
   * consumed) for anything else. The caller reads the elements, then {@link #nilTail()}.
   */
  public int listHeader(int depth) {
    int at = d.pos;
    int tag = peekTag();
    if (tag == Tags.NIL) {
      count(at);
      d.pos++;
      return 0;
    }
    if (tag != Tags.LIST) {
      return -1;
    }
    long n = lengthAfterTag(at);
    d.nest(depth, at);
    return d.elements(n, 1, "list", at);
  }

  /** Counts the term at {@code at}, consumes its tag and returns the 4-byte length that follows it. */
  private long lengthAfterTag(int at) {
    count(at);
    d.pos++;
    return d.u32();
  }

  /** Consumes the {@code []} that ends a proper list; false (nothing consumed) if the tail is something else. */
  public boolean nilTail() {
    if (peekTag() != Tags.NIL) {
      return false;
    }
    count(d.pos);
    d.pos++;
    return true;
  }

  /**
   * Consumes a binary's header; returns its length, its bytes then start at {@link #position()} (see
   * {@link #skip}). Returns -1 (nothing consumed) if no binary is next.
   */
  public int binaryHeader() {
    int at = d.pos;
    if (peekTag() != Tags.BINARY) {
      return -1;
    }
    long n = lengthAfterTag(at);
    if (n > d.end - d.pos) {
      throw d.error(at, "binary declares " + n + " bytes but only " + (d.end - d.pos) + " remain");
    }
    return (int) n;
  }

  public void skip(int n) {
    d.need(n);
    d.pos += n;
  }

  /**
   * If an integer in the 64-bit range is next (small, 32-bit or a small bignum), consumes it and returns true; its
   * value is then {@link #lastInteger()}. Otherwise consumes nothing and returns false.
   */
  public boolean integer() {
    int at = d.pos;
    int tag = peekTag();
    if (tag == Tags.SMALL_INTEGER || tag == Tags.INTEGER) {
      count(at);
      d.pos++;
      lastInteger = tag == Tags.SMALL_INTEGER ? d.u8() : (int) d.u32();
      return true;
    }
    if (tag != Tags.SMALL_BIG || d.end - d.pos < 3) {
      return false;
    }
    int n = d.in[d.pos + 1] & 0xFF;
    int sign = d.in[d.pos + 2] & 0xFF;
    if (n > 8 || sign > 1 || n > d.end - d.pos - 3) {
      return false;
    }
    long mag = 0;
    for (int i = n - 1; i >= 0; i--) {
      mag = (mag << 8) | (d.in[d.pos + 3 + i] & 0xFF);
    }
    if (mag < 0 && !(sign == 1 && mag == Long.MIN_VALUE)) {
      return false; // beyond the long range: the generic decoder makes it a BigInteger
    }
    count(at);
    d.pos += 3 + n;
    lastInteger = sign == 0 ? mag : -mag;
    return true;
  }

  private long lastInteger;

  public long lastInteger() {
    return lastInteger;
  }

  /**
   * If an atom is next, consumes it and returns the index of the first of {@code names} it equals (names given as
   * their UTF-8 bytes), or {@link #OTHER_ATOM}; if no atom is next, consumes nothing and returns {@link #NOT_ATOM}.
   */
  public int atom(byte[][] names) {
    int at = d.pos;
    int tag = peekTag();
    int headerBytes = tag == Tags.SMALL_ATOM || tag == Tags.SMALL_ATOM_UTF8 ? 1
        : tag == Tags.ATOM || tag == Tags.ATOM_UTF8 ? 2 : 0;
    if (headerBytes == 0 || d.end - d.pos < 1 + headerBytes) {
      return NOT_ATOM;
    }
    int len = headerBytes == 1 ? d.in[d.pos + 1] & 0xFF
        : ((d.in[d.pos + 1] & 0xFF) << 8) | (d.in[d.pos + 2] & 0xFF);
    int start = d.pos + 1 + headerBytes;
    if (len > d.end - start) {
      return NOT_ATOM; // the generic decoder reports it
    }
    for (int i = 0; i < names.length; i++) {
      byte[] name = names[i];
      if (asciiEquals(name, start, len)) {
        count(at);
        d.pos = start + len;
        return i;
      }
    }
    d.term(0); // checks it (UTF-8, length) and counts it as any atom
    return OTHER_ATOM;
  }

  public static final int NOT_ATOM = -2;
  public static final int OTHER_ATOM = -1;

  /** An atom name as {@link #atom} takes it; names must be ASCII (the same bytes in Latin-1 and UTF-8). */
  public static byte[] name(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  private boolean asciiEquals(byte[] name, int start, int len) {
    if (name.length != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (d.in[start + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** Decodes the next term the generic way ({@link Etf#decode}'s mapping), nested at {@code depth}. */
  public Object term(int depth) {
    return d.term(depth);
  }

  /** Fails unless the term took all the input. */
  public void finish() {
    if (d.pos != d.end) {
      throw d.error(d.pos, (d.end - d.pos) + " trailing bytes after the term");
    }
  }

  private void count(int at) {
    if (++d.terms > d.limits().maxTerms()) {
      throw d.error(at, "more than " + d.limits().maxTerms() + " terms");
    }
  }

  /**
   * The text of {@code a[off, off + len)} if it is valid UTF-8 (as strict as {@link Binary#utf8()}: no overlong
   * forms, no surrogates, nothing past U+10FFFF), else null. One allocation: the string.
   */
  public static String utf8OrNull(byte[] a, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      int b = a[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      if (b < 0xC2 || b > 0xF4) {
        return null;
      }
      int more = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
      if (end - i <= more) {
        return null;
      }
      int b1 = a[i + 1] & 0xFF;
      for (int k = 1; k <= more; k++) {
        if ((a[i + k] & 0xC0) != 0x80) {
          return null;
        }
      }
      if (b == 0xE0 && b1 < 0xA0 || b == 0xED && b1 >= 0xA0 || b == 0xF0 && b1 < 0x90 || b == 0xF4 && b1 >= 0x90) {
        return null; // overlong, a surrogate, or past U+10FFFF
      }
      i += more + 1;
    }
    return new String(a, off, len, StandardCharsets.UTF_8);
  }
}
