package io.linkgate.etf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Erlang's term order as used for map keys (the "exact" order): number < atom < reference < fun
 * < port < pid < tuple < map < [] < list < binary, where every integer sorts before every float at any
 * depth ({@code {2} < {1.0}}), so {@code compare == 0} means {@code =:=}. Used to sort map keys
 * the way OTP does and to look keys up without hashing (hash flooding cannot slow a decode down).
 * Pids, ports, references and funs compare by their tag and raw encoding, and bitstrings sort after
 * binaries, which is not OTP's order (but a total one); they never appear as map keys in our payloads.
 */
final class TermOrder implements Comparator<Object> {
  static final TermOrder INSTANCE = new TermOrder();
  private static final int RANK_NIL = 8;
  private static final int RANK_LIST = 9;

  private TermOrder() {
  }

  @Override
  public int compare(Object a, Object b) {
    a = normalize(a);
    b = normalize(b);
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    if (a instanceof Atom x) {
      return compareCodePoints(x.name(), ((Atom) b).name());
    }
    if (a instanceof Binary x) {
      return x.compareBytes((Binary) b);
    }
    if (a instanceof Tuple x) {
      Tuple y = (Tuple) b;
      int c = Integer.compare(x.size(), y.size());
      for (int i = 0; c == 0 && i < x.size(); i++) {
        c = compare(x.get(i), y.get(i));
      }
      return c;
    }
    if (a instanceof Map<?, ?> x) {
      return compareMaps(x, (Map<?, ?>) b);
    }
    if (a instanceof OpaqueTerm x) {
      OpaqueTerm y = (OpaqueTerm) b;
      int c = Integer.compare(x.tag(), y.tag());
      return c != 0 ? c : x.body().compareBytes(y.body());
    }
    if (ra == RANK_NIL) {
      return 0;
    }
    if (ra == RANK_LIST) {
      return compareLists(a, b);
    }
    return compareNumbers(a, b);
  }

  /** Maps Java conveniences onto the decoder's canonical types. */
  static Object normalize(Object t) {
    if (t instanceof Integer || t instanceof Short || t instanceof Byte) {
      return ((Number) t).longValue();
    }
    if (t instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (t instanceof Float f) {
      return f.doubleValue();
    }
    if (t instanceof Boolean b) {
      return Atom.of(b);
    }
    return t;
  }

  private static int rank(Object t) {
    if (t instanceof Long || t instanceof BigInteger || t instanceof Double) {
      return 0;
    }
    if (t instanceof Atom) {
      return 1;
    }
    if (t instanceof OpaqueTerm o) {
      return switch (o.tag()) {
        case Tags.NEWER_REFERENCE -> 2;
        case Tags.NEW_FUN, Tags.EXPORT -> 3;
        case Tags.NEW_PID -> 5;
        case Tags.BIT_BINARY -> 11;
        default -> 4;
      };
    }
    if (t instanceof Tuple) {
      return 6;
    }
    if (t instanceof Map) {
      return 7;
    }
    if (t instanceof List<?> l) {
      return l.isEmpty() ? RANK_NIL : RANK_LIST;
    }
    if (t instanceof ImproperList) {
      return RANK_LIST;
    }
    if (t instanceof Binary) {
      return 10;
    }
    throw new EtfException("not an Erlang term: "
        + (t == null ? "null" : t.getClass().getName()));
  }

  /** Map-key order: every integer sorts before every float, whatever the values. */
  private static int compareNumbers(Object a, Object b) {
    boolean fa = a instanceof Double;
    boolean fb = b instanceof Double;
    if (fa != fb) {
      return fa ? 1 : -1;
    }
    if (fa) {
      return Double.compare((Double) a, (Double) b);
    }
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return big(a).compareTo(big(b));
  }

  private static BigInteger big(Object n) {
    return n instanceof BigInteger b ? b : BigInteger.valueOf((Long) n);
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Walks both lists cell by cell, as Erlang compares cons cells; a tail compares as a term. */
  private int compareLists(Object a, Object b) {
    List<?> ha = head(a);
    List<?> hb = head(b);
    int n = Math.min(ha.size(), hb.size());
    for (int i = 0; i < n; i++) {
      int c = compare(ha.get(i), hb.get(i));
      if (c != 0) {
        return c;
      }
    }
    return compare(rest(a, ha, n), rest(b, hb, n));
  }

  private static List<?> head(Object list) {
    return list instanceof ImproperList il ? il.head() : (List<?>) list;
  }

  private static Object rest(Object list, List<?> head, int from) {
    Object tail = list instanceof ImproperList il ? il.tail() : List.of();
    if (from == head.size()) {
      return tail;
    }
    List<Object> remaining = new ArrayList<>(head.subList(from, head.size()));
    return tail instanceof List ? remaining : new ImproperList(remaining, tail);
  }

  private int compareMaps(Map<?, ?> a, Map<?, ?> b) {
    int c = Integer.compare(a.size(), b.size());
    if (c != 0) {
      return c;
    }
    Object[] ka = sortedKeys(a);
    Object[] kb = sortedKeys(b);
    for (int i = 0; i < ka.length; i++) {
      c = compare(ka[i], kb[i]);
      if (c != 0) {
        return c;
      }
    }
    for (int i = 0; i < ka.length; i++) {
      c = compare(a.get(ka[i]), b.get(kb[i]));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  static Object[] sortedKeys(Map<?, ?> m) {
    Object[] keys = m.keySet().toArray();
    Arrays.sort(keys, INSTANCE);
    return keys;
  }
}
