package io.linkgate.topic;

import static io.linkgate.topic.TopicIntersection.intersect;
import static io.linkgate.topic.TopicIntersection.redundant;
import static io.linkgate.topic.TopicIntersection.routeIntersections;
import static io.linkgate.topic.TopicIntersection.union;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Examples from docs/emqx-cluster-link-reference.md §2.1, §3 and §7 items 18-21, plus exactness properties. */
class TopicIntersectionTest {

  @ParameterizedTest(name = "{0} ^ {1} = {2}")
  @CsvSource(nullValues = "null", value = {
      "t/global/#, t/+/1/+, t/global/1/+",
      "t/1, t/1, t/1",
      "t/1, t/2, null",
      "t/1, t/+, t/1",
      "t/+, t/+, t/+",
      "t/+, t/#, t/+",
      "t/#, t/#, t/#",
      "#, #, #",
      "+, #, +",
      "t, t/#, t",
      "t/#, t/a/b, t/a/b",
      "t/#, t/+/b/#, t/+/b/#",
      "t/+/1/#, t/+, null",
      "t/+/1/#, t/+/+, t/+/1",
      "t/1/+, t/+/+, t/1/+",
      "t/1/+/3/#, t/+/2/3/#, t/1/2/3/#",
      "t/1/2/+, t/+/2/3/#, t/1/2/3",
      "t/z, t/+, t/z",
      "t/+, t/+/#, t/+",
      "a/b, a/b/c, null",
      "a/+, a, null",
      "#, t/#, t/#",
      // '$' first word never meets a first-level wildcard
      "#, $SYS/x, null",
      "+/x, $SYS/x, null",
      "#, $SYS/#, null",
      "$SYS/#, $SYS/+, $SYS/+",
      "$SYS/#, $SYS/a/b, $SYS/a/b",
      "$SYS/x, $SYS/x, $SYS/x",
      "a/#, a/$x, a/$x",
      // empty levels are words
      "+/+, /, /",
      "/#, +/+, /+",
      // would be the empty filter, which matches no valid topic (EMQX returns <<>> here)
      "+, /#, null",
      "/#, +/#, /#",
  })
  void intersections(String a, String b, String expected) {
    assertThat(intersect(a, b)).isEqualTo(expected);
    assertThat(intersect(b, a)).as("commutative").isEqualTo(expected);
  }

  @Test
  void overlappingLinkFiltersGiveSeveralRoutes() {
    List<String> link = List.of("t/+/1/#", "t/z", "t/1/+");
    assertThat(routeIntersections("t/+", link)).containsExactly("t/z");
    assertThat(routeIntersections("t/+/+", link)).containsExactly("t/1/+", "t/+/1");
  }

  @Test
  void intersectionsCoveredByAnotherGiveOneRoute() {
    List<String> link = List.of("t/1/+/3/#", "t/z", "t/1/2/+");
    assertThat(routeIntersections("t/+", link)).containsExactly("t/z");
    assertThat(routeIntersections("t/+/2/3/#", link)).containsExactly("t/1/2/3/#");
  }

  @Test
  void wildcardSubscriptionTakesTheLinkFilter() {
    assertThat(routeIntersections("#", List.of("t/#"))).containsExactly("t/#");
  }

  @Test
  void linkTopicsAgainstMultiLevelSubscription() {
    assertThat(routeIntersections("t/+/#", List.of("t/1", "t/2", "t/3")))
        .containsExactlyInAnyOrder("t/1", "t/2", "t/3");
    assertThat(routeIntersections("t/+/#", List.of("t/1", "t/2", "t/3", "t/+"))).containsExactly("t/+");
  }

  @Test
  void redundantLinkFiltersCollapse() {
    List<String> raw = List.of("t/1", "t/2", "t/3", "t/+", "t/#", "t/+/+", "t/+/+/+");
    assertThat(union(raw)).containsExactly("t/#");
    // one op per route, whether or not the link topics were normalised first
    assertThat(routeIntersections("t/6", raw)).containsExactly("t/6");
    assertThat(routeIntersections("t/1", raw)).containsExactly("t/1");
    assertThat(routeIntersections("t/6", union(raw))).containsExactly("t/6");
  }

  @Test
  void linkHashNeverPicksUpDollarTopics() {
    assertThat(routeIntersections("$SYS/broker/x", List.of("#"))).isEmpty();
    assertThat(routeIntersections("$SYS/#", List.of("#", "+/#"))).isEmpty();
    assertThat(routeIntersections("$SYS/#", List.of("$SYS/+"))).containsExactly("$SYS/+");
    assertThat(routeIntersections("t/x", List.of("#"))).containsExactly("t/x");
  }

  @Test
  void noIntersectionNoRoute() {
    assertThat(routeIntersections("a/b", List.of("t/#", "x"))).isEmpty();
    assertThat(routeIntersections("a/b", List.of())).isEmpty();
  }

  @Test
  void redundantAsValidationReportsIt() {
    assertThat(redundant(List.of("t/+", "g/2", "t/1", "t/+/#", "t"))).containsExactly("t/+", "t/1");
    assertThat(redundant(List.of("t", "t"))).containsExactly("t");
    assertThat(redundant(List.of("t/#", "t/1", "t/#"))).containsExactly("t/1", "t/#");
    assertThat(redundant(List.of("#", "$SYS/#", "+"))).containsExactly("+");
    assertThat(redundant(List.of())).isEmpty();
    assertThat(union(List.of("t/+", "g/2", "t/1", "t/+/#", "t"))).containsExactly("g/2", "t/+/#", "t");
    assertThat(union(List.of("t", "t"))).containsExactly("t");
  }

  /** The intersection matches exactly the topics both filters match, and isSubset agrees with it. */
  @Test
  void intersectionIsExact() {
    Random rnd = new Random(7);
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      topics.add(rnd.nextInt(8) == 0 ? "$s/" + TopicTrieRandomTest.topic(rnd) : TopicTrieRandomTest.topic(rnd));
    }
    for (int i = 0; i < 3_000; i++) {
      String a = smallFilter(rnd);
      String b = smallFilter(rnd);
      String x = intersect(a, b);
      assertThat(intersect(b, a)).isEqualTo(x);
      if (x != null) {
        assertThat(Topics.validateFilter(x, 0)).as("%s ^ %s = %s", a, b, x).isNull();
      }
      for (String t : topics) {
        boolean both = Topics.matches(a, t) && Topics.matches(b, t);
        assertThat(x != null && Topics.matches(x, t)).as("%s ^ %s = %s on %s", a, b, x, t).isEqualTo(both);
      }
      // EMQX's definition: subset iff equal or the intersection is the narrow filter itself
      assertThat(Topics.isSubset(a, b)).as("%s in %s", a, b).isEqualTo(a.equals(b) || a.equals(x));
    }
  }

  private static String smallFilter(Random rnd) {
    String[] words = {"a", "b", "", "$s", "+", "+"};
    int levels = 1 + rnd.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      sb.append(i > 0 ? "/" : "").append(i == levels - 1 && rnd.nextInt(4) == 0 ? "#" : words[rnd.nextInt(words.length)]);
    }
    return sb.isEmpty() ? "a" : sb.toString();
  }
}
