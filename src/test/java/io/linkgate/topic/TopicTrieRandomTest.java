package io.linkgate.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeded comparison of {@link TopicTrie#match} with a brute-force {@link Topics#matches} over all filters. */
class TopicTrieRandomTest {

  private static final String[] WORDS = {"a", "b", "c", "", "$s", "dev", "x"};

  record Sub(String filter, int id) {
  }

  private static final Comparator<Sub> ORDER = Comparator.comparing(Sub::filter).thenComparingInt(Sub::id);

  static String word(Random rnd) {
    // mostly a small alphabet (dense overlaps), sometimes one of 300 numbers (wide nodes, child tables)
    return rnd.nextInt(10) < 7 ? WORDS[rnd.nextInt(WORDS.length)] : Integer.toString(rnd.nextInt(300));
  }

  static String filter(Random rnd) {
    int levels = 1 + rnd.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      if (i > 0) {
        sb.append('/');
      }
      if (i == levels - 1 && rnd.nextInt(8) == 0) {
        sb.append('#');
      } else {
        sb.append(rnd.nextInt(6) == 0 ? "+" : word(rnd));
      }
    }
    return sb.isEmpty() ? "x" : sb.toString(); // "" is not a valid filter
  }

  static String topic(Random rnd) {
    int levels = 1 + rnd.nextInt(6);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(word(rnd));
    }
    return sb.isEmpty() ? "x" : sb.toString(); // "" is not a valid topic
  }

  @Test
  void matchEqualsBruteForce() {
    for (long seed = 1; seed <= 3; seed++) {
      Random rnd = new Random(seed);
      TopicTrie<Sub> trie = new TopicTrie<>();
      Map<String, Set<Sub>> reference = new HashMap<>();
      List<Sub> all = new ArrayList<>();
      for (int i = 0; i < 4_000; i++) {
        String f = filter(rnd);
        // some filters get many subscribers so the array and map value slots are exercised
        int subs = rnd.nextInt(20) == 0 ? 1 + rnd.nextInt(30) : 1;
        for (int s = 0; s < subs; s++) {
          Sub sub = new Sub(f, rnd.nextInt(40));
          boolean first = !reference.containsKey(f);
          assertThat(trie.add(f, sub)).isEqualTo(first);
          if (reference.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(sub)) {
            all.add(sub);
          }
        }
      }
      check(rnd, trie, reference);

      // remove a random half, checking last-subscriber reports, then compare again
      for (int i = 0; i < all.size(); i += 1 + rnd.nextInt(2)) {
        Sub sub = all.get(i);
        Set<Sub> set = reference.get(sub.filter());
        if (set == null || !set.remove(sub)) {
          assertThat(trie.remove(sub.filter(), sub)).isFalse();
          continue;
        }
        boolean last = set.isEmpty();
        if (last) {
          reference.remove(sub.filter());
        }
        assertThat(trie.remove(sub.filter(), sub)).isEqualTo(last);
      }
      check(rnd, trie, reference);

      for (Sub sub : all) {
        trie.remove(sub.filter(), sub);
      }
      assertThat(trie.size()).isZero();
      assertThat(trie.nodeCount()).isEqualTo(1);
    }
  }

  private static void check(Random rnd, TopicTrie<Sub> trie, Map<String, Set<Sub>> reference) {
    assertThat(trie.filterCount()).isEqualTo(reference.size());
    assertThat(trie.size()).isEqualTo(reference.values().stream().mapToInt(Set::size).sum());
    List<Sub> snapshot = new ArrayList<>();
    trie.forEach((f, s) -> {
      assertThat(s.filter()).isEqualTo(f);
      snapshot.add(s);
    });
    List<Sub> all = new ArrayList<>(reference.values().stream().flatMap(Set::stream).toList());
    snapshot.sort(ORDER);
    all.sort(ORDER);
    assertThat(snapshot).isEqualTo(all);
    for (int i = 0; i < 1_500; i++) {
      String t = rnd.nextInt(10) == 0 ? "$s/" + topic(rnd) : topic(rnd);
      List<Sub> expected = new ArrayList<>();
      reference.forEach((f, subs) -> {
        if (Topics.matches(f, t)) {
          expected.addAll(subs);
        }
      });
      List<Sub> actual = new ArrayList<>();
      int count = trie.match(t, actual::add);
      // sorted equality: same pairs, and each exactly once
      actual.sort(ORDER);
      expected.sort(ORDER);
      if (!actual.equals(expected)) {
        assertThat(actual).as(t).isEqualTo(expected);
      }
      assertThat(count).isEqualTo(expected.size());
    }
  }
}
