package io.linkgate.link.wire;

import io.linkgate.etf.Atom;
import io.linkgate.etf.Binary;
import io.linkgate.etf.Etf;
import io.linkgate.etf.EtfException;
import io.linkgate.etf.EtfLimits;
import io.linkgate.etf.ImproperList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  /**
   * A binary's text, or null when an MQTT client must not get it as a string: not valid UTF-8, or holding U+0000
   * [MQTT-1.5.4-2]. The caller decides what to drop.
   */
  static String mqttTextOrNull(Object t, String field) {
    Binary b = binary(t, field);
    try {
      String s = b.utf8();
      return s.indexOf('\u0000') < 0 ? s : null;
    } catch (EtfException e) {
      return null;
    }
  }

  /**
   * A binary read as UTF-8 with invalid sequences replaced (U+FFFD): for fields EMQX 5.x does not validate and
   * Linkgate never hands to a client as text, like the publisher's client id.
   */
  static String lenientText(Object t, String field) {
    return new String(binary(t, field).toByteArray(), StandardCharsets.UTF_8);
  }

  /**
   * A binary, or iodata flattened into one: EMQX's payload type allows a list of bytes, binaries and nested such
   * lists, with a binary as the tail. The decoder's limits already bound the depth and the total size.
   */
  static Binary iodata(Object t, String field) {
    if (t instanceof Binary b) {
      return b;
    }
    if (!(t instanceof List<?>) && !(t instanceof ImproperList)) {
      throw bad(field, "a binary or an iolist", t);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    flatten(t, out, field);
    return Binary.of(out.toByteArray());
  }

  private static void flatten(Object t, ByteArrayOutputStream out, String field) {
    if (t instanceof Binary b) {
      out.writeBytes(b.toByteArray());
    } else if (t instanceof Long l && l >= 0 && l <= 255) {
      out.write(l.intValue());
    } else if (t instanceof List<?> list) {
      for (Object e : list) {
        flatten(e, out, field);
      }
    } else if (t instanceof ImproperList il && il.tail() instanceof Binary) {
      flatten(il.head(), out, field);
      flatten(il.tail(), out, field);
    } else {
      throw bad(field + " element", "a byte, a binary or an iolist", t);
    }
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
