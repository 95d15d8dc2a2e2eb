package io.linkgate.etf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Short constructors for expected terms in tests. */
public final class T {
  private T() {
  }

  public static Atom atom(String name) {
    return Atom.of(name);
  }

  public static Binary bin(String utf8) {
    return Binary.ofUtf8(utf8);
  }

  public static Binary bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return Binary.of(b);
  }

  public static Tuple tuple(Object... elements) {
    return Tuple.of(elements);
  }

  public static List<Object> list(Object... elements) {
    return List.of(elements);
  }

  /** Map from alternating keys and values, insertion ordered. */
  public static Map<Object, Object> map(Object... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of arguments: " + Arrays.toString(kv));
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Hex dump for assertion messages. */
  public static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xFF));
    }
    return sb.toString();
  }
}
