package io.linkgate.etf;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decodes one term from untrusted bytes. Every declared length is checked against the bytes that
 * remain before anything is allocated, so memory use is bounded by the input size and
 * {@link EtfLimits}; recursion is bounded by {@link EtfLimits#maxDepth()}.
 */
final class EtfDecoder {
  final byte[] in;
  final int end;
  private final EtfLimits limits;

  EtfLimits limits() {
    return limits;
  }
  private final String where;
  int pos;
  int terms;

  private EtfDecoder(byte[] in, int start, EtfLimits limits, String where) {
    this(in, start, in.length, limits, where);
  }

  /** A cursor over {@code in[start, end)} for {@link EtfReader}, which walks known shapes itself. */
  EtfDecoder(byte[] in, int start, int end, EtfLimits limits, String where) {
    this.in = in;
    this.pos = start;
    this.end = end;
    this.limits = limits;
    this.where = where;
  }

  static Object decode(byte[] bytes, EtfLimits limits) {
    if (bytes.length == 0) {
      throw new EtfException("empty input");
    }
    if (bytes.length > limits.maxBytes()) {
      throw new EtfException("input of " + bytes.length + " bytes exceeds the limit of "
          + limits.maxBytes());
    }
    int version = bytes[0] & 0xFF;
    if (version != Tags.VERSION) {
      throw new EtfException("bad version byte " + version + " at offset 0, expected 131");
    }
    if (bytes.length > 1 && (bytes[1] & 0xFF) == Tags.COMPRESSED) {
      byte[] inflated = Zlib.inflate(bytes, 2, limits.maxBytes());
      return new EtfDecoder(inflated, 0, limits, " of the inflated term").top();
    }
    return new EtfDecoder(bytes, 1, limits, "").top();
  }

  Object top() {
    Object term = term(0);
    if (pos != end) {
      throw error(pos, (end - pos) + " trailing bytes after the term");
    }
    return term;
  }

  EtfException error(int at, String message) {
    return new EtfException(message + " at offset " + at + where);
  }

  Object term(int depth) {
    int at = pos;
    if (++terms > limits.maxTerms()) {
      throw error(at, "more than " + limits.maxTerms() + " terms");
    }
    int tag = u8();
    return switch (tag) {
      case Tags.SMALL_INTEGER -> (long) u8();
      case Tags.INTEGER -> (long) (int) u32();
      case Tags.NEW_FLOAT -> newFloat(at);
      case Tags.ATOM -> atom(u16(), false, at);
      case Tags.SMALL_ATOM -> atom(u8(), false, at);
      case Tags.ATOM_UTF8 -> atom(u16(), true, at);
      case Tags.SMALL_ATOM_UTF8 -> atom(u8(), true, at);
      case Tags.BINARY -> Binary.wrap(take(u32(), "binary", at));
      case Tags.SMALL_BIG -> big(u8(), at);
      case Tags.LARGE_BIG -> big(u32(), at);
      case Tags.SMALL_TUPLE -> tuple(u8(), nest(depth, at), at);
      case Tags.LARGE_TUPLE -> tuple(u32(), nest(depth, at), at);
      case Tags.NIL -> List.of();
      case Tags.STRING -> string(u16(), at);
      case Tags.LIST -> list(u32(), nest(depth, at), at);
      case Tags.MAP -> map(u32(), nest(depth, at), at);
      case Tags.NEW_PID, Tags.NEW_PORT, Tags.V4_PORT, Tags.NEWER_REFERENCE -> opaque(tag, at);
      case Tags.NEW_FUN -> fun(nest(depth, at), at);
      case Tags.EXPORT -> export(at);
      case Tags.BIT_BINARY -> bitBinary(at);
      default -> throw error(at, "unsupported tag " + tag + " (" + Tags.unsupportedName(tag) + ")");
    };
  }

  int nest(int depth, int at) {
    if (depth + 1 > limits.maxDepth()) {
      throw error(at, "nesting deeper than " + limits.maxDepth());
    }
    return depth + 1;
  }

  private Double newFloat(int at) {
    double d = Double.longBitsToDouble((u32() << 32) | u32());
    if (!Double.isFinite(d)) {
      throw error(at, "non-finite float");
    }
    return d;
  }

  private Atom atom(int len, boolean utf8, int at) {
    byte[] b = take(len, "atom", at);
    String name;
    if (utf8) {
      try {
        name = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b)).toString();
      } catch (CharacterCodingException e) {
        throw error(at, "atom is not valid UTF-8");
      }
    } else {
      name = new String(b, StandardCharsets.ISO_8859_1);
    }
    if (name.codePointCount(0, name.length()) > Atom.MAX_CHARS) {
      throw error(at, "atom longer than " + Atom.MAX_CHARS + " characters");
    }
    return new Atom(name);
  }

  private Object big(long n, int at) {
    int sign = u8();
    if (sign > 1) {
      throw error(at, "bad bignum sign byte " + sign);
    }
    byte[] le = take(n, "bignum", at);
    if (le.length <= 8) {
      long mag = 0;
      for (int i = le.length - 1; i >= 0; i--) {
        mag = (mag << 8) | (le[i] & 0xFF);
      }
      if (mag >= 0) {
        return sign == 0 ? mag : -mag;
      }
      if (sign == 1 && mag == Long.MIN_VALUE) {
        return mag;
      }
    }
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    BigInteger v = new BigInteger(1, be);
    v = sign == 0 ? v : v.negate();
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private Tuple tuple(long n, int depth, int at) {
    int count = elements(n, 1, "tuple", at);
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(term(depth));
    }
    return new Tuple(items);
  }

  private List<Object> string(int n, int at) {
    elements(n, 1, "string", at);
    terms += n;
    Object[] items = new Object[n];
    for (int i = 0; i < n; i++) {
      items[i] = (long) u8();
    }
    return List.of(items);
  }

  private Object list(long n, int depth, int at) {
    // Each element takes at least one byte, and so does the tail.
    if (n >= end - pos) {
      throw error(at, "list declares " + n + " elements but only " + (end - pos)
          + " bytes remain");
    }
    int count = elements(n, 1, "list", at);
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(term(depth));
    }
    Object tail = term(depth);
    if (tail instanceof List<?> rest) {
      items.addAll(rest);
      return List.copyOf(items);
    }
    if (items.isEmpty()) {
      return tail;
    }
    if (tail instanceof ImproperList il) {
      items.addAll(il.head());
      return new ImproperList(items, il.tail());
    }
    return new ImproperList(items, tail);
  }

  private Map<Object, Object> map(long n, int depth, int at) {
    int count = elements(n, 2, "map", at);
    List<Map.Entry<Object, Object>> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object key = term(depth);
      entries.add(Map.entry(key, term(depth)));
    }
    Object built = TermMap.build(entries);
    if (built instanceof TermMap.Duplicate d) {
      throw error(at, "duplicate map key " + TermFormatter.format(d.key(), 80));
    }
    return (TermMap) built;
  }

  /** Pid, port or reference: kept raw; only its length is worked out (node atom + fixed ids). */
  private OpaqueTerm opaque(int tag, int at) {
    int bodyStart = pos;
    int idWords = tag == Tags.NEWER_REFERENCE ? u16() : 0;
    if (tag == Tags.NEWER_REFERENCE && (idWords < 1 || idWords > 5)) {
      throw error(at, "reference with " + idWords + " id words");
    }
    atomOnly("node of a pid/port/reference");
    int fixed = switch (tag) {
      case Tags.NEW_PID, Tags.V4_PORT -> 12;
      case Tags.NEW_PORT -> 8;
      default -> 4 + 4 * idWords;
    };
    take(fixed, "pid/port/reference", at);
    return kept(tag, bodyStart);
  }

  /**
   * A fun (NEW_FUN_EXT): kept raw. Its declared size is checked against what its parts really take, and its
   * parts (module, old index and uniq, creator pid, free variables) are decoded like any term, so they count
   * against the same depth and term limits.
   */
  private OpaqueTerm fun(int depth, int at) {
    int bodyStart = pos;
    long size = u32(); // counts itself, not the tag
    if (size < 29 || size - 4 > end - pos) {
      throw error(at, "size " + size + " out of range (" + (end - pos + 4) + " bytes remain) for tag "
          + Tags.NEW_FUN + " (NEW_FUN_EXT)");
    }
    take(1 + 16 + 4, "fun arity/uniq/index", at);
    long free = u32();
    atomOnly("module of a fun");
    for (String part : new String[] {"old index", "old uniq"}) {
      if (!(term(depth) instanceof Long)) {
        throw error(at, part + " of a fun is not an integer");
      }
    }
    if (!(term(depth) instanceof OpaqueTerm pid) || pid.tag() != Tags.NEW_PID) {
      throw error(at, "creator of a fun is not a pid");
    }
    int count = elements(free, 1, "fun free variables", at);
    for (int i = 0; i < count; i++) {
      term(depth);
    }
    if (pos - bodyStart != size) {
      throw error(at, "fun declares " + size + " bytes but its parts take " + (pos - bodyStart));
    }
    return kept(Tags.NEW_FUN, bodyStart);
  }

  /** {@code fun M:F/A} (EXPORT_EXT): two atoms and a small integer, kept raw. */
  private OpaqueTerm export(int at) {
    int bodyStart = pos;
    atomOnly("module of an external fun");
    atomOnly("function of an external fun");
    if (u8() != Tags.SMALL_INTEGER) {
      throw error(at, "arity of an external fun is not a small integer");
    }
    u8();
    return kept(Tags.EXPORT, bodyStart);
  }

  /** A bitstring whose length is not a whole number of bytes: kept raw. */
  private OpaqueTerm bitBinary(int at) {
    int bodyStart = pos;
    long len = u32();
    int bits = u8();
    if (len == 0 ? bits != 0 : bits < 1 || bits > 8) {
      throw error(at, "bitstring of " + len + " bytes with " + bits + " bits in its last byte");
    }
    take(len, "bitstring", at);
    return kept(Tags.BIT_BINARY, bodyStart);
  }

  private void atomOnly(String what) {
    int at = pos;
    switch (u8()) {
      case Tags.ATOM -> atom(u16(), false, at);
      case Tags.SMALL_ATOM -> atom(u8(), false, at);
      case Tags.ATOM_UTF8 -> atom(u16(), true, at);
      case Tags.SMALL_ATOM_UTF8 -> atom(u8(), true, at);
      default -> throw error(at, what + " is not an atom");
    }
  }

  private OpaqueTerm kept(int tag, int bodyStart) {
    return new OpaqueTerm(tag, Binary.wrap(Arrays.copyOfRange(in, bodyStart, pos)));
  }

  /** Checks a declared element count against the remaining bytes and the term budget. */
  int elements(long n, int minBytesEach, String what, int at) {
    if (n > (long) (end - pos) / minBytesEach) {
      throw error(at, what + " declares " + n + " elements but only " + (end - pos)
          + " bytes remain");
    }
    if (n > (long) limits.maxTerms() - terms) {
      throw error(at, what + " of " + n + " elements exceeds the limit of "
          + limits.maxTerms() + " terms");
    }
    return (int) n;
  }

  void need(int n) {
    if (n > end - pos) {
      throw error(pos, "truncated input: needs " + n + " bytes, " + (end - pos) + " remain");
    }
  }

  private byte[] take(long n, String what, int at) {
    if (n > end - pos) {
      throw error(at, what + " declares " + n + " bytes but only " + (end - pos) + " remain");
    }
    byte[] b = Arrays.copyOfRange(in, pos, pos + (int) n);
    pos += (int) n;
    return b;
  }

  int u8() {
    need(1);
    return in[pos++] & 0xFF;
  }

  int u16() {
    need(2);
    int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u32() {
    need(4);
    long v = ((long) (in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16)
        | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }
}
