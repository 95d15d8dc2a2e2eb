package io.linkgate.topic;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Placeholder with the trie's API (linear match); replaced by the real trie from the topic branch. */
public final class TopicTrie<V> {
  private final Map<String, Set<V>> byFilter = new LinkedHashMap<>();
  private int size;

  public boolean add(String filter, V value) {
    Set<V> values = byFilter.computeIfAbsent(filter, f -> new LinkedHashSet<>());
    boolean first = values.isEmpty();
    if (!values.remove(value)) {
      size++;
    }
    values.add(value);
    return first;
  }

  public boolean remove(String filter, V value) {
    Set<V> values = byFilter.get(filter);
    if (values == null || !values.remove(value)) {
      return false;
    }
    size--;
    if (values.isEmpty()) {
      byFilter.remove(filter);
      return true;
    }
    return false;
  }

  public void match(String topic, Consumer<? super V> visitor) {
    for (Map.Entry<String, Set<V>> e : byFilter.entrySet()) {
      if (Topics.matches(e.getKey(), topic)) {
        e.getValue().forEach(visitor);
      }
    }
  }

  public int filterCount() {
    return byFilter.size();
  }

  public int size() {
    return size;
  }

  public void forEachFilter(BiConsumer<String, V> consumer) {
    byFilter.forEach((f, vs) -> vs.forEach(v -> consumer.accept(f, v)));
  }
}
