package io.linkgate.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicTrieTest {

  /** A subscription: identity is the client, the QoS is an option that a re-subscribe replaces. */
  record Sub(String client, int qos) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sub && ((Sub) o).client.equals(client);
    }

    @Override
    public int hashCode() {
      return client.hashCode();
    }
  }

  private final TopicTrie<Sub> trie = new TopicTrie<>();

  private List<Sub> match(String topic) {
    List<Sub> hits = new ArrayList<>();
    trie.match(topic, hits::add);
    return hits;
  }

  @Test
  void firstAndLastSubscriber() {
    assertThat(trie.add("a/+", new Sub("c1", 0))).isTrue();
    assertThat(trie.add("a/+", new Sub("c2", 0))).isFalse();
    assertThat(trie.add("a/#", new Sub("c1", 0))).isTrue();
    assertThat(trie.filterCount()).isEqualTo(2);
    assertThat(trie.size()).isEqualTo(3);

    assertThat(trie.remove("a/+", new Sub("c1", 0))).isFalse();
    assertThat(trie.remove("a/+", new Sub("c1", 0))).as("already gone").isFalse();
    assertThat(trie.remove("a/+", new Sub("c2", 0))).isTrue();
    assertThat(trie.remove("a/+", new Sub("c2", 0))).isFalse();
    assertThat(trie.remove("a/#", new Sub("c1", 0))).isTrue();
    assertThat(trie.remove("x/y", new Sub("c1", 0))).isFalse();
    assertThat(trie.filterCount()).isZero();
    assertThat(trie.size()).isZero();
    assertThat(trie.nodeCount()).isEqualTo(1);
  }

  @Test
  void equalValueReplacesOptions() {
    trie.add("t", new Sub("c1", 0));
    assertThat(trie.add("t", new Sub("c1", 2))).isFalse();
    assertThat(trie.size()).isEqualTo(1);
    assertThat(match("t")).extracting(Sub::qos).containsExactly(2);
    // same in the array and map representations
    for (int i = 0; i < 20; i++) {
      trie.add("t", new Sub("x" + i, 0));
      trie.add("t", new Sub("c1", i));
      assertThat(match("t")).filteredOn(s -> s.client.equals("c1")).extracting(Sub::qos).containsExactly(i);
    }
    assertThat(trie.size()).isEqualTo(21);
  }

  @Test
  void tenThousandSubscribersOnOneFilter() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(trie.add("big/+", new Sub("c" + i, 1))).isEqualTo(i == 0);
    }
    assertThat(trie.match("big/x", s -> { })).isEqualTo(10_000);
    assertThat(trie.valuesOf("big/+")).hasSize(10_000);
    for (int i = 0; i < 10_000; i++) {
      assertThat(trie.remove("big/+", new Sub("c" + i, 1))).isEqualTo(i == 9_999);
      if (i % 1000 == 0 || i > 9_990) {
        assertThat(trie.match("big/x", s -> { })).isEqualTo(9_999 - i);
      }
    }
    assertThat(trie.nodeCount()).isEqualTo(1);
  }

  @Test
  void pruningReturnsAllNodes() {
    List<String> filters = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      filters.add("a/" + i + "/b");
      filters.add("a/+/" + i);
      filters.add("a/" + (i % 7) + "/#");
      filters.add(i + "");
      filters.add("/" + i + "//");
    }
    for (String f : filters) {
      trie.add(f, new Sub("c", 0));
    }
    assertThat(trie.nodeCount()).isGreaterThan(2_000);
    assertThat(trie.filterCount()).isEqualTo(2_007);
    for (int i = filters.size() - 1; i >= 0; i -= 2) {
      trie.remove(filters.get(i), new Sub("c", 0));
    }
    for (int i = 0; i < filters.size(); i += 2) {
      trie.remove(filters.get(i), new Sub("c", 0));
    }
    assertThat(trie.filterCount()).isZero();
    assertThat(trie.nodeCount()).isEqualTo(1);
  }

  @Test
  void interiorNodeSurvivesWhileItHasDescendantsOrHash() {
    trie.add("a/b/c", new Sub("c1", 0));
    trie.add("a/b", new Sub("c1", 0));
    trie.add("a/b/#", new Sub("c1", 0));
    assertThat(trie.remove("a/b", new Sub("c1", 0))).isTrue();
    assertThat(match("a/b/c")).hasSize(2);
    assertThat(trie.remove("a/b/c", new Sub("c1", 0))).isTrue();
    assertThat(match("a/b")).hasSize(1);
    assertThat(trie.nodeCount()).isEqualTo(3);
    trie.remove("a/b/#", new Sub("c1", 0));
    assertThat(trie.nodeCount()).isEqualTo(1);
  }

  @Test
  void dollarTopicsOnlyMatchDollarFilters() {
    trie.add("#", new Sub("all", 0));
    trie.add("+/x", new Sub("plus", 0));
    trie.add("$SYS/#", new Sub("sys", 0));
    trie.add("$SYS/+", new Sub("sysplus", 0));
    assertThat(match("$SYS/x")).extracting(Sub::client).containsExactlyInAnyOrder("sys", "sysplus");
    assertThat(match("a/x")).extracting(Sub::client).containsExactlyInAnyOrder("all", "plus");
    assertThat(match("a/$SYS")).extracting(Sub::client).containsExactly("all");
  }

  @Test
  void snapshotsListFiltersAndValues() {
    trie.add("#", new Sub("c1", 0));
    trie.add("/#", new Sub("c1", 0));
    trie.add("+", new Sub("c2", 0));
    trie.add("/", new Sub("c2", 0));
    trie.add("a/+/#", new Sub("c3", 0));
    trie.add("a/+/#", new Sub("c4", 0));
    trie.add("a", new Sub("c5", 0));
    List<String> pairs = new ArrayList<>();
    trie.forEach((f, s) -> pairs.add(f + "=" + s.client()));
    assertThat(pairs).containsExactlyInAnyOrder("#=c1", "/#=c1", "+=c2", "/=c2", "a/+/#=c3", "a/+/#=c4", "a=c5");
    List<String> filters = new ArrayList<>();
    trie.forEachFilter(filters::add);
    assertThat(filters).containsExactlyInAnyOrder("#", "/#", "+", "/", "a/+/#", "a");
    assertThat(trie.valuesOf("a/+/#")).extracting(Sub::client).containsExactlyInAnyOrder("c3", "c4");
    assertThat(trie.valuesOf("a/+")).isEmpty();
    assertThat(trie.valuesOf("#")).extracting(Sub::client).containsExactly("c1");
    assertThat(trie.valuesOf("x/y/z")).isEmpty();
  }

  @Test
  void manyChildrenGrowAndShrink() {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 2_000; i++) {
        trie.add("n/" + i, new Sub("c", 0));
      }
      for (int i = 0; i < 2_000; i++) {
        assertThat(match("n/" + i)).hasSize(1);
      }
      assertThat(match("n/2000")).isEmpty();
      for (int i = 0; i < 2_000; i += 1 + round) {
        trie.remove("n/" + i, new Sub("c", 0));
        assertThat(match("n/" + i)).isEmpty();
      }
      for (int i = 0; i < 2_000; i++) {
        trie.remove("n/" + i, new Sub("c", 0));
      }
      assertThat(trie.nodeCount()).isEqualTo(1);
    }
  }

  @Test
  void rejectsInvalidFilters() {
    assertThatThrownBy(() -> trie.add("t/#/+", new Sub("c", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'#' must be the last level");
    assertThatThrownBy(() -> trie.add("", new Sub("c", 0))).isInstanceOf(IllegalArgumentException.class);
    TopicTrie<String> small = new TopicTrie<>(3);
    assertThatThrownBy(() -> small.add("a/b/c/d", "v")).hasMessageContaining("more than the maximum of 3");
    assertThat(small.add("a/b/c", "v")).isTrue();
    assertThat(trie.remove("t/#/+", new Sub("c", 0))).isFalse();
  }
}
