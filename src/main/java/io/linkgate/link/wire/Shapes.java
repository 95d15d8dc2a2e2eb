package io.linkgate.link.wire;

import io.linkgate.etf.Atom;
import io.linkgate.etf.Binary;
import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfException;
import io.linkgate.etf.EtfLimits;
import java.util.Map;

/** Shape checks for decoded terms; each failure names the field and shows what arrived. */
final class Shapes {
  private Shapes() {
  }

  static Object decode(byte[] payload, EtfLimits limits) {
    try {
      return Etf.decode(payload, limits);
    } catch (EtfException e) {
      throw new LinkPayloadException("malformed ETF payload: " + e.getMessage(), e);
    }
  }

  static LinkPayloadException bad(String field, String expected, Object got) {
    return new LinkPayloadException(field + ": expected " + expected + ", got "
        + (got == null ? "nothing" : Etf.format(got, 120)));
  }

  static Map<?, ?> map(Object t, String field) {
    if (t instanceof Map<?, ?> m) {
      return m;
    }
    throw bad(field, "a map", t);
  }

  static Object required(Map<?, ?> m, Object key, String field) {
    Object v = m.get(key);
    if (v == null) {
      throw new LinkPayloadException(field + ": missing key " + Etf.format(key));
    }
    return v;
  }

  /** A binary holding valid UTF-8 (topics, names, ids on the wire). */
  static String text(Object t, String field) {
    if (t instanceof Binary b) {
      try {
        return b.utf8();
      } catch (EtfException e) {
        throw bad(field, "UTF-8 text", t);
      }
    }
    throw bad(field, "a binary", t);
  }

  static Binary binary(Object t, String field) {
    if (t instanceof Binary b) {
      return b;
    }
    throw bad(field, "a binary", t);
  }

  static long integer(Object t, String field) {
    if (t instanceof Long l) {
      return l;
    }
    throw bad(field, "an integer in the 64-bit range", t);
  }

  /** {@code true}/{@code false}, or null for {@code undefined} when allowed. */
  static Boolean bool(Object t, String field, boolean undefinedAllowed) {
    if (Atom.TRUE.equals(t)) {
      return Boolean.TRUE;
    }
    if (Atom.FALSE.equals(t)) {
      return Boolean.FALSE;
    }
    if (undefinedAllowed && Atom.UNDEFINED.equals(t)) {
      return null;
    }
    throw bad(field, undefinedAllowed ? "true, false or undefined" : "true or false", t);
  }

  static Atom atom(Boolean b) {
    return b == null ? Atom.UNDEFINED : Atom.of(b);
  }
}
