package io.linkgate.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Subscription index: topic filter levels form a trie, each filter holds a set of values (subscriptions, compared
 * with {@code equals}).
 *
 * <p><b>Threading:</b> not thread-safe and lock-free by design. An instance is owned by one thread, the broker's
 * event loop (the {@code BrokerVerticle} context); every call, including {@link #match}, must run there.
 *
 * <p>Matching follows MQTT 3.1.1/5 §4.7: {@code '+'} matches one level, {@code '#'} the remaining levels including
 * none ({@code a/#} matches {@code a}), empty levels count ({@code +/+} matches {@code /}), and a wildcard at the
 * first level never matches a topic starting with {@code '$'} (MQTT-4.7.2-1). {@code $share/} is not interpreted:
 * callers store the inner filter of a shared subscription.
 */
public final class TopicTrie<V> {

  /** Same default as EMQX's {@code max_topic_levels}; also bounds the recursion depth of matching. */
  public static final int DEFAULT_MAX_LEVELS = 128;

  private static final String PLUS = "+";
  /** Size of the cache that lets repeated words ("temp", "status") share one String; a power of two. */
  private static final int WORD_CACHE = 1024;

  private final TrieNode root = new TrieNode("");
  private final int maxLevels;
  private final String[] words = new String[WORD_CACHE];
  private int filterCount;
  private int size;

  public TopicTrie() {
    this(DEFAULT_MAX_LEVELS);
  }

  /** @param maxLevels filters with more levels are rejected by {@link #add} */
  public TopicTrie(int maxLevels) {
    if (maxLevels <= 0) {
      throw new IllegalArgumentException("maxLevels must be > 0");
    }
    this.maxLevels = maxLevels;
  }

  /**
   * Adds {@code value} under {@code filter}; an equal value already there is replaced (new subscription options).
   *
   * @return true iff the filter had no value before (first subscriber of this filter)
   * @throws IllegalArgumentException if the filter is not a valid topic filter
   */
  public boolean add(String filter, V value) {
    Objects.requireNonNull(value, "value");
    String problem = Topics.validateFilter(filter, maxLevels);
    if (problem != null) {
      throw new IllegalArgumentException("invalid topic filter '" + filter + "': " + problem);
    }
    TrieNode n = root;
    int len = filter.length();
    for (int from = 0; ; ) {
      int end = end(filter, from);
      if (end - from == 1 && filter.charAt(from) == '#') {
        int before = ValueSlot.count(n.hashValues);
        n.hashValues = ValueSlot.add(n.hashValues, value);
        return counted(before, ValueSlot.count(n.hashValues));
      }
      n = childOrCreate(n, filter, from, end);
      if (end == len) {
        int before = ValueSlot.count(n.values);
        n.values = ValueSlot.add(n.values, value);
        return counted(before, ValueSlot.count(n.values));
      }
      from = end + 1;
    }
  }

  private boolean counted(int before, int after) {
    size += after - before;
    if (before == 0) {
      filterCount++;
      return true;
    }
    return false;
  }

  private TrieNode childOrCreate(TrieNode n, String filter, int from, int end) {
    if (end - from == 1 && filter.charAt(from) == '+') {
      if (n.plus == null) {
        n.plus = new TrieNode(PLUS);
      }
      return n.plus;
    }
    TrieNode c = n.child(filter, from, end);
    if (c == null) {
      c = new TrieNode(word(filter.substring(from, end)));
      n.addChild(c);
    }
    return c;
  }

  /** Lossy intern cache: a hot word loses its slot only to a colliding word, so copies stay rare. */
  private String word(String w) {
    int i = w.hashCode() & (WORD_CACHE - 1);
    String cached = words[i];
    if (w.equals(cached)) {
      return cached;
    }
    words[i] = w;
    return w;
  }

  /**
   * Removes {@code value} from {@code filter} and prunes nodes left empty.
   *
   * @return true iff this removal left the filter without values (last subscriber); false if other values remain
   *     or the value was not there
   */
  public boolean remove(String filter, V value) {
    Objects.requireNonNull(value, "value");
    TrieNode[] path = new TrieNode[levels(filter) + 1];
    int depth = 0;
    TrieNode n = root;
    path[0] = n;
    boolean hash = false;
    int len = filter.length();
    for (int from = 0; ; ) {
      int end = end(filter, from);
      if (end - from == 1 && filter.charAt(from) == '#') {
        hash = end == len;
        if (!hash) {
          return false;
        }
        break;
      }
      n = end - from == 1 && filter.charAt(from) == '+' ? n.plus : n.child(filter, from, end);
      if (n == null) {
        return false;
      }
      path[++depth] = n;
      if (end == len) {
        break;
      }
      from = end + 1;
    }
    Object slot = hash ? n.hashValues : n.values;
    int before = ValueSlot.count(slot);
    slot = ValueSlot.remove(slot, value);
    int after = ValueSlot.count(slot);
    if (before == after) {
      return false;
    }
    size--;
    if (hash) {
      n.hashValues = slot;
    } else {
      n.values = slot;
    }
    if (after > 0) {
      return false;
    }
    filterCount--;
    prune(path, depth);
    return true;
  }

  private static void prune(TrieNode[] path, int depth) {
    for (int i = depth; i > 0 && path[i].isEmpty(); i--) {
      TrieNode parent = path[i - 1];
      if (parent.plus == path[i]) {
        parent.plus = null;
      } else {
        parent.removeChild(path[i]);
      }
    }
  }

  /**
   * Visits every value whose filter matches {@code topic} (a valid topic name), each (filter, value) pair once.
   * Descends only into the exact, {@code '+'} and {@code '#'} children of each level and allocates nothing. The
   * visitor must not modify this trie.
   *
   * @return the number of values visited
   */
  public int match(String topic, Consumer<? super V> visitor) {
    TrieNode r = root;
    int end = end(topic, 0);
    int next = end == topic.length() ? -1 : end + 1;
    int count = 0;
    if (!Topics.isDollarTopic(topic)) {
      count += ValueSlot.forEach(r.hashValues, visitor);
      if (r.plus != null) {
        count += walk(r.plus, topic, next, visitor);
      }
    }
    TrieNode c = r.child(topic, 0, end);
    if (c != null) {
      count += walk(c, topic, next, visitor);
    }
    return count;
  }

  /** {@code from} is the start of the next topic level, or -1 once all levels are consumed. */
  private static <V> int walk(TrieNode n, String topic, int from, Consumer<? super V> visitor) {
    // '#' below this level matches whatever is left, including nothing
    int count = ValueSlot.forEach(n.hashValues, visitor);
    if (from < 0) {
      return count + ValueSlot.forEach(n.values, visitor);
    }
    int end = end(topic, from);
    int next = end == topic.length() ? -1 : end + 1;
    TrieNode c = n.child(topic, from, end);
    if (c != null) {
      count += walk(c, topic, next, visitor);
    }
    if (n.plus != null) {
      count += walk(n.plus, topic, next, visitor);
    }
    return count;
  }

  /** Values stored under exactly this filter (a copy), empty if none. */
  public List<V> valuesOf(String filter) {
    List<V> out = new ArrayList<>();
    TrieNode n = root;
    int len = filter.length();
    for (int from = 0; ; ) {
      int end = end(filter, from);
      if (end == len && end - from == 1 && filter.charAt(from) == '#') {
        ValueSlot.addTo(n.hashValues, out);
        return out;
      }
      n = end - from == 1 && filter.charAt(from) == '+' ? n.plus : n.child(filter, from, end);
      if (n == null) {
        return out;
      }
      if (end == len) {
        ValueSlot.addTo(n.values, out);
        return out;
      }
      from = end + 1;
    }
  }

  /** Visits every (filter, value) pair, e.g. for a route snapshot. Allocates one String per filter. */
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<String, ? super V> action) {
    walkFilters(root, 0, new StringBuilder(), (filter, slot) -> ValueSlot.forEach(slot, v -> action.accept(filter, (V) v)));
  }

  /** Visits every distinct filter that has at least one value once (route bootstrap iterates filters, not subscribers). */
  public void forEachFilter(Consumer<String> action) {
    walkFilters(root, 0, new StringBuilder(), (filter, slot) -> action.accept(filter));
  }

  private static void walkFilters(TrieNode n, int depth, StringBuilder path, BiConsumer<String, Object> action) {
    if (n.values != null) {
      action.accept(path.toString(), n.values);
    }
    int mark = path.length();
    if (n.hashValues != null) {
      action.accept(path.append(depth == 0 ? "#" : "/#").toString(), n.hashValues);
      path.setLength(mark);
    }
    n.forEachChild(c -> {
      walkFilters(c, depth + 1, (depth == 0 ? path : path.append('/')).append(c.word), action);
      path.setLength(mark);
    });
    if (n.plus != null) {
      walkFilters(n.plus, depth + 1, (depth == 0 ? path : path.append('/')).append('+'), action);
      path.setLength(mark);
    }
  }

  /** Number of distinct filters with at least one value. */
  public int filterCount() {
    return filterCount;
  }

  /** Number of values over all filters. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Number of trie nodes, root included; for tests and memory diagnostics. */
  int nodeCount() {
    int[] count = {0};
    countNodes(root, count);
    return count[0];
  }

  private static void countNodes(TrieNode n, int[] count) {
    count[0]++;
    n.forEachChild(c -> countNodes(c, count));
    if (n.plus != null) {
      countNodes(n.plus, count);
    }
  }

  private static int end(String s, int from) {
    int i = s.indexOf('/', from);
    return i < 0 ? s.length() : i;
  }

  private static int levels(String s) {
    int levels = 1;
    for (int i = s.indexOf('/'); i >= 0; i = s.indexOf('/', i + 1)) {
      levels++;
    }
    return levels;
  }
}
