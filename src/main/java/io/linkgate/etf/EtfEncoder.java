package io.linkgate.etf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Encodes terms the way OTP's {@code term_to_binary/2} with {@code {minor_version, 2}} does (the
 * OTP 26+ default): smallest integer form, SMALL_ATOM_UTF8_EXT, STRING_EXT for lists of bytes,
 * and map keys in term order (what OTP does for maps up to 32 keys, and for all maps with
 * {@code deterministic}).
 */
final class EtfEncoder {
  private final ByteSink out = new ByteSink(64);
  private final int maxDepth;

  private EtfEncoder(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  static byte[] encode(Object term, int maxDepth) {
    EtfEncoder e = new EtfEncoder(maxDepth);
    e.out.write(Tags.VERSION);
    e.term(term, 0);
    return e.out.toByteArray();
  }

  private void term(Object t, int depth) {
    t = TermOrder.normalize(t);
    if (t instanceof Long l) {
      integer(l);
    } else if (t instanceof BigInteger b) {
      big(b);
    } else if (t instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new EtfException("Erlang has no " + d + " float");
      }
      out.write(Tags.NEW_FLOAT);
      out.u64(Double.doubleToLongBits(d));
    } else if (t instanceof Atom a) {
      atom(a);
    } else if (t instanceof Binary b) {
      out.write(Tags.BINARY);
      out.u32(b.size());
      b.writeTo(out);
    } else if (t instanceof Tuple tuple) {
      tuple(tuple, depth);
    } else if (t instanceof List<?> list) {
      list(list, depth);
    } else if (t instanceof ImproperList il) {
      int d = nest(depth);
      out.write(Tags.LIST);
      out.u32(il.head().size());
      elements(il.head(), d);
      term(il.tail(), d);
    } else if (t instanceof Map<?, ?> map) {
      map(map, depth);
    } else if (t instanceof OpaqueTerm o) {
      out.write(o.tag());
      o.body().writeTo(out);
    } else {
      throw new EtfException("cannot encode "
          + (t == null ? "null" : t.getClass().getName())
          + " (use Atom, Binary, Long, BigInteger, Double, Tuple, List, Map)");
    }
  }

  private void integer(long v) {
    if (v >= 0 && v <= 255) {
      out.write(Tags.SMALL_INTEGER);
      out.write((int) v);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write(Tags.INTEGER);
      out.u32(v);
    } else {
      big(BigInteger.valueOf(v));
    }
  }

  private void big(BigInteger v) {
    byte[] be = v.abs().toByteArray();
    int skip = be[0] == 0 ? 1 : 0;
    int n = be.length - skip;
    if (n <= 255) {
      out.write(Tags.SMALL_BIG);
      out.write(n);
    } else {
      out.write(Tags.LARGE_BIG);
      out.u32(n);
    }
    out.write(v.signum() < 0 ? 1 : 0);
    for (int i = be.length - 1; i >= skip; i--) {
      out.write(be[i]);
    }
  }

  private void atom(Atom a) {
    byte[] b = a.name().getBytes(StandardCharsets.UTF_8);
    if (b.length <= 255) {
      out.write(Tags.SMALL_ATOM_UTF8);
      out.write(b.length);
    } else {
      out.write(Tags.ATOM_UTF8);
      out.u16(b.length);
    }
    out.write(b, 0, b.length);
  }

  /** Same rule as the decoder: at most maxDepth nested tuples, lists and maps. */
  private int nest(int depth) {
    if (depth + 1 > maxDepth) {
      throw new EtfException("term nested deeper than " + maxDepth);
    }
    return depth + 1;
  }

  private void tuple(Tuple t, int depth) {
    int d = nest(depth);
    if (t.size() <= 255) {
      out.write(Tags.SMALL_TUPLE);
      out.write(t.size());
    } else {
      out.write(Tags.LARGE_TUPLE);
      out.u32(t.size());
    }
    elements(t.elements(), d);
  }

  private void list(List<?> list, int depth) {
    if (list.isEmpty()) {
      out.write(Tags.NIL);
      return;
    }
    if (isByteString(list)) {
      out.write(Tags.STRING);
      out.u16(list.size());
      for (Object o : list) {
        out.write((int) (long) (Long) TermOrder.normalize(o));
      }
      return;
    }
    int d = nest(depth);
    out.write(Tags.LIST);
    out.u32(list.size());
    elements(list, d);
    out.write(Tags.NIL);
  }

  /** OTP writes a list of integers 0..255 shorter than 65536 as STRING_EXT. */
  private static boolean isByteString(List<?> list) {
    if (list.size() > 0xFFFF) {
      return false;
    }
    for (Object o : list) {
      if (!(TermOrder.normalize(o) instanceof Long l) || l < 0 || l > 255) {
        return false;
      }
    }
    return true;
  }

  private void map(Map<?, ?> map, int depth) {
    int d = nest(depth);
    Object[] keys = map instanceof TermMap tm ? tm.sortedKeys() : TermOrder.sortedKeys(map);
    for (int i = 1; i < keys.length; i++) {
      if (TermOrder.INSTANCE.compare(keys[i - 1], keys[i]) == 0) {
        throw new EtfException("map has two keys equal in Erlang: " + keys[i]);
      }
    }
    out.write(Tags.MAP);
    out.u32(keys.length);
    for (Object k : keys) {
      term(k, d);
      term(map.get(k), d);
    }
  }

  private void elements(Collection<?> items, int depth) {
    for (Object o : items) {
      term(o, depth);
    }
  }
}
