package io.linkgate.topic;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Static helpers for the value slot of one filter: {@code null} (no values), the value itself (one value, the common
 * case, no extra object), a {@link Few} array (2..{@value #FEW_MAX}) or a {@link Many} hash map (more), so removing
 * one of 10,000 subscribers of a filter is O(1). Values are compared with {@code equals}; adding an equal value
 * replaces the stored instance. Confined to the thread that owns the trie.
 */
final class ValueSlot {

  static final int FEW_MAX = 8;

  private ValueSlot() {
  }

  /** Small unordered array of distinct values. */
  static final class Few {
    Object[] items;
    int size;

    Few(Object[] items, int size) {
      this.items = items;
      this.size = size;
    }
  }

  /** Value to itself, so an equal value can replace the stored instance. */
  static final class Many extends HashMap<Object, Object> {
    Many(int capacity) {
      super(capacity);
    }
  }

  static int count(Object slot) {
    if (slot == null) {
      return 0;
    }
    if (slot instanceof Few) {
      return ((Few) slot).size;
    }
    return slot instanceof Many ? ((Many) slot).size() : 1;
  }

  /** Returns the new slot holding {@code v}; an equal value already present is replaced. */
  static Object add(Object slot, Object v) {
    if (slot == null) {
      return v;
    }
    if (slot instanceof Few) {
      Few few = (Few) slot;
      Object[] items = few.items;
      for (int i = 0; i < few.size; i++) {
        if (items[i].equals(v)) {
          items[i] = v;
          return few;
        }
      }
      if (few.size < FEW_MAX) {
        if (few.size == items.length) {
          few.items = items = Arrays.copyOf(items, FEW_MAX);
        }
        items[few.size++] = v;
        return few;
      }
      Many many = new Many(FEW_MAX * 4);
      for (int i = 0; i < few.size; i++) {
        many.put(items[i], items[i]);
      }
      many.put(v, v);
      return many;
    }
    if (slot instanceof Many) {
      Many many = (Many) slot;
      // HashMap keeps the old key on put; remove first so the new instance is the one we hand out
      many.remove(v);
      many.put(v, v);
      return many;
    }
    return slot.equals(v) ? v : new Few(new Object[] {slot, v, null, null}, 2);
  }

  /** Returns the slot without {@code v} (the same slot if {@code v} was absent). */
  static Object remove(Object slot, Object v) {
    if (slot instanceof Few) {
      Few few = (Few) slot;
      Object[] items = few.items;
      for (int i = 0; i < few.size; i++) {
        if (items[i].equals(v)) {
          items[i] = items[--few.size];
          items[few.size] = null;
          return few.size == 1 ? items[0] : few;
        }
      }
      return few;
    }
    if (slot instanceof Many) {
      Many many = (Many) slot;
      many.remove(v);
      // hysteresis: shrink back to an array well below the split point
      if (many.size() <= FEW_MAX / 2) {
        return new Few(many.values().toArray(new Object[FEW_MAX]), many.size());
      }
      return many;
    }
    return slot != null && slot.equals(v) ? null : slot;
  }

  static Object find(Object slot, Object v) {
    if (slot instanceof Few) {
      Few few = (Few) slot;
      for (int i = 0; i < few.size; i++) {
        if (few.items[i].equals(v)) {
          return few.items[i];
        }
      }
      return null;
    }
    if (slot instanceof Many) {
      return ((Many) slot).get(v);
    }
    return slot != null && slot.equals(v) ? slot : null;
  }

  /** Visits every value and returns how many; no allocation. */
  @SuppressWarnings("unchecked")
  static <V> int forEach(Object slot, Consumer<? super V> visitor) {
    if (slot == null) {
      return 0;
    }
    if (slot instanceof Few) {
      Few few = (Few) slot;
      Object[] items = few.items;
      int n = few.size;
      for (int i = 0; i < n; i++) {
        visitor.accept((V) items[i]);
      }
      return n;
    }
    if (slot instanceof Many) {
      Many many = (Many) slot;
      many.values().forEach((Consumer<Object>) visitor);
      return many.size();
    }
    visitor.accept((V) slot);
    return 1;
  }

  @SuppressWarnings("unchecked")
  static <V> void addTo(Object slot, List<V> out) {
    forEach(slot, v -> out.add((V) v));
  }
}
