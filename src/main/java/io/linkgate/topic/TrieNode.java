package io.linkgate.topic;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One filter level of a {@link TopicTrie}. Confined to the thread that owns the trie.
 *
 * <p>Layout is tuned for a million mostly single-child, single-value nodes: five reference fields (32 bytes with
 * compressed oops), the {@code '+'} child in its own field, and no node for {@code '#'} at all, because a
 * {@code '#'} level is always the last one and only needs a value slot.
 */
final class TrieNode {

  /** Exact children kept in a linear array up to this count, in a {@link ChildTable} above it. */
  static final int SMALL_CHILDREN = 8;

  final String word;
  /** Exact-word children: {@code null}, one {@code TrieNode}, a packed {@code TrieNode[]} or a {@link ChildTable}. */
  private Object children;
  /** The {@code '+'} child. */
  TrieNode plus;
  /** Values of the filter that ends at this level (see {@link ValueSlot}). */
  Object values;
  /** Values of the filter {@code <this level>/#}. */
  Object hashValues;

  TrieNode(String word) {
    this.word = word;
  }

  boolean is(String s, int from, int to) {
    int len = to - from;
    return word.length() == len && word.regionMatches(0, s, from, len);
  }

  boolean isEmpty() {
    return children == null && plus == null && values == null && hashValues == null;
  }

  /** The exact child for the level {@code s[from, to)}, or {@code null}. Does not allocate. */
  TrieNode child(String s, int from, int to) {
    Object c = children;
    if (c instanceof TrieNode) {
      TrieNode n = (TrieNode) c;
      return n.is(s, from, to) ? n : null;
    }
    if (c instanceof TrieNode[]) {
      for (TrieNode n : (TrieNode[]) c) {
        if (n == null) {
          return null;
        }
        if (n.is(s, from, to)) {
          return n;
        }
      }
      return null;
    }
    return c == null ? null : ((ChildTable) c).get(s, from, to);
  }

  /** Adds a child whose word is not present yet. */
  void addChild(TrieNode n) {
    Object c = children;
    if (c == null) {
      children = n;
    } else if (c instanceof TrieNode) {
      children = new TrieNode[] {(TrieNode) c, n};
    } else if (c instanceof TrieNode[]) {
      TrieNode[] a = (TrieNode[]) c;
      int size = packedSize(a);
      if (size < a.length) {
        a[size] = n;
      } else if (a.length < SMALL_CHILDREN) {
        a = Arrays.copyOf(a, a.length * 2);
        a[size] = n;
        children = a;
      } else {
        ChildTable t = new ChildTable(a.length * 4);
        for (TrieNode x : a) {
          t.put(x);
        }
        t.put(n);
        children = t;
      }
    } else {
      ((ChildTable) c).put(n);
    }
  }

  void removeChild(TrieNode n) {
    Object c = children;
    if (c == n) {
      children = null;
    } else if (c instanceof TrieNode[]) {
      TrieNode[] a = (TrieNode[]) c;
      int size = packedSize(a);
      for (int i = 0; i < size; i++) {
        if (a[i] == n) {
          System.arraycopy(a, i + 1, a, i, size - i - 1);
          a[--size] = null;
          break;
        }
      }
      if (size == 1) {
        children = a[0];
      } else if (size * 4 <= a.length && a.length > 2) {
        children = Arrays.copyOf(a, a.length / 2);
      }
    } else if (c instanceof ChildTable) {
      ChildTable t = (ChildTable) c;
      t.remove(n);
      // hysteresis: back to an array only well below the split point, so add/remove at the edge does not thrash
      if (t.size() <= SMALL_CHILDREN / 2) {
        TrieNode[] a = new TrieNode[SMALL_CHILDREN / 2];
        int[] i = {0};
        t.forEach(x -> a[i[0]++] = x);
        children = i[0] == 1 ? a[0] : a;
      }
    }
  }

  void forEachChild(Consumer<TrieNode> action) {
    Object c = children;
    if (c instanceof TrieNode) {
      action.accept((TrieNode) c);
    } else if (c instanceof TrieNode[]) {
      for (TrieNode n : (TrieNode[]) c) {
        if (n == null) {
          break;
        }
        action.accept(n);
      }
    } else if (c != null) {
      ((ChildTable) c).forEach(action);
    }
  }

  private static int packedSize(TrieNode[] a) {
    int i = 0;
    while (i < a.length && a[i] != null) {
      i++;
    }
    return i;
  }
}
