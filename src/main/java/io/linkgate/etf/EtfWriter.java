package io.linkgate.etf;

/**
 * Writes a term of a known shape straight into an array sized up front (see the {@code sizeOf} methods), with the
 * same byte choices as {@link Etf#encode} and OTP's {@code term_to_binary}: smallest integer form,
 * SMALL_ATOM_UTF8_EXT, and the caller writes map keys in term order. For encoders of fixed records (the forwarded
 * {@code #message{}}): no term tree, no growing buffer, one copy of each binary.
 */
public final class EtfWriter {
  private final byte[] out;
  private int pos;

  /** A writer of exactly {@code size} bytes, the version byte included ({@link #finish} checks the count). */
  public EtfWriter(int size) {
    out = new byte[size];
    out[pos++] = (byte) Tags.VERSION;
  }

  public static final int VERSION_BYTES = 1;

  public static int sizeOfTupleHeader(int arity) {
    return arity <= 255 ? 2 : 5;
  }

  public static int sizeOfBinary(int len) {
    return 5 + len;
  }

  /** Atom names given as UTF-8 bytes of at most 255 bytes. */
  public static int sizeOfAtom(byte[] name) {
    return 2 + name.length;
  }

  public static int sizeOfMapHeader() {
    return 5;
  }

  public static int sizeOfListHeader() {
    return 5;
  }

  public static int sizeOfNil() {
    return 1;
  }

  public static int sizeOfInteger(long v) {
    if (v >= 0 && v <= 255) {
      return 2;
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return 5;
    }
    return 3 + magnitudeBytes(v);
  }

  /** Bytes of {@code s} in UTF-8 as {@code String.getBytes(UTF_8)} makes them (an unpaired surrogate is "?"). */
  public static int utf8Length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 2; // 4 bytes for two chars
        i++;
      } else if (Character.isSurrogate(c)) {
        continue; // unpaired: replaced by '?'
      } else {
        bytes += 2;
      }
    }
    return bytes;
  }

  public void tupleHeader(int arity) {
    if (arity <= 255) {
      out[pos++] = (byte) Tags.SMALL_TUPLE;
      out[pos++] = (byte) arity;
    } else {
      out[pos++] = (byte) Tags.LARGE_TUPLE;
      u32(arity);
    }
  }

  public void mapHeader(int size) {
    out[pos++] = (byte) Tags.MAP;
    u32(size);
  }

  public void listHeader(int length) {
    out[pos++] = (byte) Tags.LIST;
    u32(length);
  }

  public void nil() {
    out[pos++] = (byte) Tags.NIL;
  }

  public void atom(byte[] name) {
    out[pos++] = (byte) Tags.SMALL_ATOM_UTF8;
    out[pos++] = (byte) name.length;
    System.arraycopy(name, 0, out, pos, name.length);
    pos += name.length;
  }

  /** A binary's header; the caller then writes exactly {@code len} bytes with {@link #target()}/{@link #advance}. */
  public void binaryHeader(int len) {
    out[pos++] = (byte) Tags.BINARY;
    u32(len);
  }

  public void binary(byte[] b) {
    binaryHeader(b.length);
    System.arraycopy(b, 0, out, pos, b.length);
    pos += b.length;
  }

  /** A binary of two big-endian longs (a 16-byte id). */
  public void binary(long hi, long lo) {
    binaryHeader(16);
    u64(hi);
    u64(lo);
  }

  /** A binary holding {@code s} in UTF-8, as {@code Binary.ofUtf8} would, of {@code utf8Length} bytes. */
  public void utf8Binary(String s, int utf8Length) {
    binaryHeader(utf8Length);
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | c >> 6);
        out[pos++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[pos++] = (byte) (0xF0 | cp >> 18);
        out[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
        out[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
        out[pos++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        out[pos++] = '?';
      } else {
        out[pos++] = (byte) (0xE0 | c >> 12);
        out[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[pos++] = (byte) (0x80 | c & 0x3F);
      }
    }
  }

  public void integer(long v) {
    if (v >= 0 && v <= 255) {
      out[pos++] = (byte) Tags.SMALL_INTEGER;
      out[pos++] = (byte) v;
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out[pos++] = (byte) Tags.INTEGER;
      u32(v);
    } else {
      int n = magnitudeBytes(v);
      long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 read unsigned
      out[pos++] = (byte) Tags.SMALL_BIG;
      out[pos++] = (byte) n;
      out[pos++] = (byte) (v < 0 ? 1 : 0);
      for (int i = 0; i < n; i++) {
        out[pos++] = (byte) (mag >>> (8 * i));
      }
    }
  }

  /** The array being written, for copying a binary's bytes at {@link #position()}. */
  public byte[] target() {
    return out;
  }

  public int position() {
    return pos;
  }

  public void advance(int n) {
    pos += n;
  }

  /** The encoded term; fails if the size given up front was not the size written. */
  public byte[] finish() {
    if (pos != out.length) {
      throw new IllegalStateException("wrote " + pos + " bytes into a term sized " + out.length);
    }
    return out;
  }

  private static int magnitudeBytes(long v) {
    long mag = v < 0 ? -v : v;
    return (64 - Long.numberOfLeadingZeros(mag) + 7) / 8;
  }

  private void u32(long v) {
    out[pos++] = (byte) (v >>> 24);
    out[pos++] = (byte) (v >>> 16);
    out[pos++] = (byte) (v >>> 8);
    out[pos++] = (byte) v;
  }

  private void u64(long v) {
    u32(v >>> 32);
    u32(v);
  }
}
