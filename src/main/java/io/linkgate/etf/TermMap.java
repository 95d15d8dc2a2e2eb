package io.linkgate.etf;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable map produced by the decoder: iterates in wire order, looks keys up by binary search in
 * Erlang term order. A HashMap would degrade to quadratic time on crafted colliding keys; this
 * stays O(n log n) to build whatever the peer sends. Lookups use Erlang equality, so
 * {@code get(10)} finds the key {@code 10L}.
 */
final class TermMap extends AbstractMap<Object, Object> {
  private final List<Map.Entry<Object, Object>> entries;
  private final Object[] sortedKeys;
  private final int[] sortedIndex;

  private TermMap(List<Map.Entry<Object, Object>> entries, Object[] sortedKeys, int[] index) {
    this.entries = entries;
    this.sortedKeys = sortedKeys;
    this.sortedIndex = index;
  }

  /**
   * Builds from entries in wire order; returns the duplicate key instead of a map when there is
   * one, so the caller can report where it was.
   */
  static Object build(List<Map.Entry<Object, Object>> entries) {
    int n = entries.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) ->
        TermOrder.INSTANCE.compare(entries.get(x).getKey(), entries.get(y).getKey()));
    Object[] keys = new Object[n];
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = entries.get(order[i]).getKey();
      index[i] = order[i];
      if (i > 0 && TermOrder.INSTANCE.compare(keys[i - 1], keys[i]) == 0) {
        return new Duplicate(keys[i]);
      }
    }
    return new TermMap(List.copyOf(entries), keys, index);
  }

  record Duplicate(Object key) {
  }

  /** Keys in Erlang term order, the order OTP encodes small maps in. */
  Object[] sortedKeys() {
    return sortedKeys.clone();
  }

  private int find(Object key) {
    if (key == null) {
      return -1;
    }
    try {
      int i = Arrays.binarySearch(sortedKeys, key, TermOrder.INSTANCE);
      return i < 0 ? -1 : sortedIndex[i];
    } catch (EtfException notATerm) {
      return -1;
    }
  }

  @Override
  public Object get(Object key) {
    int i = find(key);
    return i < 0 ? null : entries.get(i).getValue();
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public Set<Map.Entry<Object, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<Object, Object>> iterator() {
        return entries.iterator();
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }
}
