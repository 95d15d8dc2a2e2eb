package io.linkgate.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One matching table run through {@link Topics#matches} and {@link TopicTrie#match}. Cases ported (as data) from
 * mosquitto {@code test/unit/util_topic_test.c}, moquette {@code CTrieSubscriptionDirectoryMatchingTest} and the
 * MQTT 5 spec examples (§4.7).
 */
class TopicMatchingTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // mosquitto TEST_valid_matching
        arguments("foo/#", "foo/", true),
        arguments("foo/#", "foo", true),
        arguments("foo//bar", "foo//bar", true),
        arguments("foo//+", "foo//bar", true),
        arguments("foo/+/+/baz", "foo///baz", true),
        arguments("foo/bar/+", "foo/bar/", true),
        arguments("foo/bar", "foo/bar", true),
        arguments("foo/+", "foo/bar", true),
        arguments("foo/+/baz", "foo/bar/baz", true),
        arguments("A/B/+/#", "A/B/B/C", true),
        arguments("foo/+/#", "foo/bar/baz", true),
        arguments("foo/+/#", "foo/bar", true),
        arguments("#", "foo/bar/baz", true),
        arguments("#", "/foo/bar", true),
        arguments("/#", "/foo/bar", true),
        // mosquitto TEST_valid_no_matching
        arguments("test/6/#", "test/3", false),
        arguments("foo/bar", "foo", false),
        arguments("foo/+", "foo/bar/baz", false),
        arguments("foo/+/baz", "foo/bar/bar", false),
        arguments("foo/+/#", "fo2/bar/baz", false),
        arguments("/#", "foo/bar", false),
        arguments("#", "$SYS/bar", false),
        arguments("$BOB/bar", "$SYS/bar", false),
        // moquette
        arguments("/", "finance", false),
        arguments("/finance", "finance", false),
        arguments("/finance", "/finance", true),
        arguments("/", "/", true),
        arguments("#", "finance", true),
        arguments("finance/#", "finance/stock", true),
        arguments("finance/#", "finance/stock/ibm", true),
        arguments("finance/#", "finance", true),
        arguments("finance/stock/#", "finance/stock/ibm", true),
        arguments("+", "finance", true),
        arguments("finance/+", "finance/stock", true),
        arguments("+/+", "/finance", true),
        arguments("/+", "/finance", true),
        arguments("+", "/finance", false),
        arguments("/finance/+/ibm", "/finance/stock/ibm", true),
        arguments("/+/stock/+", "/finance/stock/ibm", true),
        arguments("+/monitor/clients", "$SYS/monitor/clients", false),
        arguments("outer/+/inner", "outer/$something/inner", true),
        arguments("$SYS/monitor/+", "$SYS/monitor/clients", true),
        arguments("#", "$SYS/monitor/clients", false),
        arguments("$SYS/#", "$SYS", true),
        // '$' rule and empty levels (style.md §3.5, MQTT-4.7.2-1)
        arguments("$SYS/#", "$SYS/x", true),
        arguments("#", "$SYS/x", false),
        arguments("+/monitor/Clients", "$SYS/monitor/Clients", false),
        arguments("+", "$SYS", false),
        arguments("+/#", "$SYS/x", false),
        arguments("#", "$", false),
        arguments("$LINK/#", "$LINK/cluster/route/c1", true),
        arguments("+/+", "/", true),
        arguments("+", "/", false),
        arguments("#", "/", true),
        arguments("+/+/+", "/", false),
        arguments("a/#", "a", true),
        arguments("a/+", "a", false),
        arguments("a/+/#", "a", false),
        arguments("a/+/#", "a/b", true),
        // MQTT 5 §4.7.1 examples
        arguments("sport/tennis/player1/#", "sport/tennis/player1", true),
        arguments("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
        arguments("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
        arguments("sport/+", "sport", false),
        arguments("sport/+", "sport/", true),
        arguments("+/tennis/#", "sport/tennis", true),
        arguments("/+", "/finance", true),
        arguments("ACCOUNTS", "Accounts", false),
        arguments("a/b", "a/b/", false),
        arguments("a/b/", "a/b", false),
        arguments("caf\u00e9/+", "caf\u00e9/x", true),
        arguments("\ud83d\ude00/#", "\ud83d\ude00/x/y", true),
        arguments("\ud83d\ude00", "\ud83d\ude01", false));
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @MethodSource("table")
  void topicsMatches(String filter, String topic, boolean expected) {
    assertThat(Topics.validateFilter(filter, 0)).isNull();
    assertThat(Topics.validateName(topic, 0)).isNull();
    assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @MethodSource("table")
  void trieMatchesAlone(String filter, String topic, boolean expected) {
    TopicTrie<String> trie = new TopicTrie<>();
    trie.add(filter, "v");
    List<String> hits = new ArrayList<>();
    int count = trie.match(topic, hits::add);
    assertThat(hits).isEqualTo(expected ? List.of("v") : List.of());
    assertThat(count).isEqualTo(hits.size());
  }

  /** All table filters in one trie: each row's filter is visited (once) exactly when the row says it matches. */
  @Test
  void trieMatchesWithAllFiltersTogether() {
    TopicTrie<String> trie = new TopicTrie<>();
    table().forEach(a -> trie.add((String) a.get()[0], (String) a.get()[0]));
    table().forEach(a -> {
      Object[] row = a.get();
      List<String> hits = new ArrayList<>();
      trie.match((String) row[1], hits::add);
      assertThat(hits).doesNotHaveDuplicates();
      assertThat(hits.contains((String) row[0])).as("%s vs %s", row[0], row[1]).isEqualTo(row[2]);
    });
  }
}
