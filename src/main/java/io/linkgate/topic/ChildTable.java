package io.linkgate.topic;

import java.util.function.Consumer;

/**
 * Open-addressing hash table of {@link TrieNode} children keyed by their word, for nodes with many exact children.
 * Confined to the thread that owns the trie.
 *
 * <p>Why not a {@code HashMap<String, TrieNode>}: a map entry costs ~40 bytes per child against ~11 here, and a map
 * lookup needs a {@code String} key, i.e. a substring of the topic per level. Here the probe hashes the topic region
 * directly with {@link String#hashCode()}'s formula and compares it with the word hashes kept next to the slots.
 */
final class ChildTable {

  private static final int MIN_CAPACITY = 16;

  private TrieNode[] slots;
  /**
   * Word hash of each slot ({@link #stored}: never 0, 0 marks a free slot). A lookup probes this array alone and
   * touches a node only on a hash hit, so a miss costs one cache line instead of a node dereference per probe.
   */
  private int[] hashes;
  private int shift;
  private int size;

  ChildTable(int capacity) {
    int cap = Math.max(MIN_CAPACITY, Integer.highestOneBit(capacity - 1) << 1);
    slots = new TrieNode[cap];
    hashes = new int[cap];
    shift = 32 - Integer.numberOfTrailingZeros(cap);
  }

  int size() {
    return size;
  }

  /** {@code s.substring(from, to).hashCode()} without the substring, mapped by {@link #stored}. */
  static int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + s.charAt(i);
    }
    return stored(h);
  }

  private static int stored(int wordHash) {
    return wordHash == 0 ? 1 : wordHash;
  }

  /** Fibonacci hashing: String hashes of sequential numbers are sequential, which linear probing handles badly. */
  private int index(int h) {
    return (h * 0x9E3779B9) >>> shift;
  }

  TrieNode get(String s, int from, int to) {
    int h = hash(s, from, to);
    int[] hs = hashes;
    int mask = hs.length - 1;
    for (int i = index(h); ; i = (i + 1) & mask) {
      int x = hs[i];
      if (x == 0) {
        return null;
      }
      if (x == h && slots[i].is(s, from, to)) {
        return slots[i];
      }
    }
  }

  /** Inserts a node whose word is not present. */
  void put(TrieNode n) {
    if ((size + 1) * 4 > slots.length * 3) {
      rehash(slots.length * 2);
    }
    insert(n, stored(n.word.hashCode()));
    size++;
  }

  private void insert(TrieNode n, int h) {
    TrieNode[] t = slots;
    int mask = t.length - 1;
    int i = index(h);
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = n;
    hashes[i] = h;
  }

  void remove(TrieNode n) {
    TrieNode[] t = slots;
    int[] hs = hashes;
    int mask = t.length - 1;
    int i = index(stored(n.word.hashCode()));
    while (t[i] != n) {
      if (t[i] == null) {
        return;
      }
      i = (i + 1) & mask;
    }
    t[i] = null;
    hs[i] = 0;
    size--;
    // backward-shift deletion keeps probe chains intact without tombstones
    for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
      int home = index(hs[j]);
      boolean movable = j > i ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        t[i] = t[j];
        hs[i] = hs[j];
        t[j] = null;
        hs[j] = 0;
        i = j;
      }
    }
    if (size * 8 < t.length && t.length > MIN_CAPACITY) {
      rehash(t.length / 2);
    }
  }

  private void rehash(int capacity) {
    TrieNode[] old = slots;
    int[] oldHashes = hashes;
    slots = new TrieNode[capacity];
    hashes = new int[capacity];
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    for (int i = 0; i < old.length; i++) {
      if (old[i] != null) {
        insert(old[i], oldHashes[i]);
      }
    }
  }

  void forEach(Consumer<TrieNode> action) {
    for (TrieNode n : slots) {
      if (n != null) {
        action.accept(n);
      }
    }
  }
}
