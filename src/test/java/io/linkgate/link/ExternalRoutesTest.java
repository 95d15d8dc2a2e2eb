package io.linkgate.link;

import io.linkgate.link.ExternalRoutes.InitResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reference §7 scenarios 12–14: lanes, incarnations, heartbeats and GC of the external route table. */
class ExternalRoutesTest {
  final ExternalRoutes table = new ExternalRoutes();

  List<String> clustersFor(String topic) {
    List<String> out = new ArrayList<>();
    table.matchClusters(topic, out::add);
    return out;
  }

  @Test
  void opsAreIdempotentAndARouteSharedByActorsLivesUntilEveryActorDeletesIt() {
    assertThat(table.actorInit("A", "n1", 1, 100)).isEqualTo(InitResult.CREATED);
    assertThat(table.actorInit("A", "n2", 1, 100)).isEqualTo(InitResult.CREATED);
    table.add("A", "n1", 1, "t/#", "t/#");
    table.add("A", "n1", 1, "t/#", "t/#");
    table.add("A", "n2", 1, "t/#", "t/#");
    table.add("A", "n2", 1, "t/+", "t/+");
    assertThat(clustersFor("t/1")).containsExactly("A"); // one per cluster however many routes match
    table.delete("A", "n1", 1, "t/#", "t/#");
    assertThat(table.hasRoute("A", "t/#", "t/#")).isTrue();
    table.delete("A", "n2", 1, "t/#", "t/#");
    table.delete("A", "n2", 1, "t/#", "t/#");
    assertThat(table.hasRoute("A", "t/#", "t/#")).isFalse();
    assertThat(table.routeCount("A")).isEqualTo(1);
  }

  @Test
  void higherIncarnationWipesTheOldOnesRoutesAndStaleStreamsCannotApply() {
    table.actorInit("A", "n1", 5, 100);
    table.add("A", "n1", 5, "x/1", "x/1");
    assertThat(table.actorInit("A", "n1", 4, 100)).isEqualTo(InitResult.STALE_INCARNATION);
    assertThat(table.actorInit("A", "n1", 5, 200)).isEqualTo(InitResult.REFRESHED);
    assertThat(table.hasRoute("A", "x/1", "x/1")).isTrue();
    assertThat(table.actorInit("A", "n1", 6, 200)).isEqualTo(InitResult.CREATED);
    assertThat(table.hasRoute("A", "x/1", "x/1")).isFalse();
    assertThat(table.add("A", "n1", 5, "x/2", "x/2")).isFalse();
    assertThat(table.heartbeat("A", "n1", 5, 300)).isFalse();
    assertThat(table.heartbeat("A", "n1", 6, 300)).isTrue();
  }

  @Test
  void gcRemovesExactlyTheExpiredActorsAndOnlyTheirOwnClustersRoutes() {
    table.actorInit("A", "n1", 1, 100);
    table.actorInit("B", "n1", 1, 1000);
    table.actorInit("A", "n2", 1, 1000);
    // lanes are per cluster: A/n1 and B/n1 both have lane 0
    table.add("A", "n1", 1, "a/#", "a/#");
    table.add("B", "n1", 1, "b/#", "b/#");
    table.add("A", "n2", 1, "shared/#", "shared/#");
    table.add("A", "n1", 1, "shared/#", "shared/#");
    table.heartbeat("B", "n1", 1, 2000);
    assertThat(table.gc(500)).containsExactly("A/n1");
    assertThat(table.hasRoute("A", "a/#", "a/#")).isFalse();
    assertThat(table.hasRoute("A", "shared/#", "shared/#")).isTrue();
    assertThat(table.hasRoute("B", "b/#", "b/#")).isTrue(); // #16317: GC never touches another cluster
    assertThat(clustersFor("b/1")).containsExactly("B");
    assertThat(table.gc(1500)).containsExactly("A/n2");
    assertThat(table.routeCount("A")).isZero();
    assertThat(table.routeCount("B")).isEqualTo(1);
  }
}
