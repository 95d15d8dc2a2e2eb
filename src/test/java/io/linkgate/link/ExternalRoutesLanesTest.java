package io.linkgate.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Lanes beyond 64: every actor of a large peer cluster holds its routes independently. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExternalRoutesLanesTest {

  @Test
  void aHundredActorsShareARouteAndEachOneHoldsIt() {
    ExternalRoutes routes = new ExternalRoutes();
    for (int i = 0; i < 100; i++) {
      assertThat(routes.actorInit("P", "n" + i, 1, Long.MAX_VALUE)).isEqualTo(ExternalRoutes.InitResult.CREATED);
      assertThat(routes.add("P", "n" + i, 1, "t/#", "t/#")).isTrue();
    }
    assertThat(routes.actorCount("P")).isEqualTo(100);
    for (int i = 0; i < 99; i++) {
      routes.delete("P", "n" + i, 1, "t/#", "t/#");
      assertThat(routes.hasRoute("P", "t/#", "t/#")).as("actor n99 (lane 99) still holds it").isTrue();
    }
    routes.delete("P", "n99", 1, "t/#", "t/#");
    assertThat(routes.hasRoute("P", "t/#", "t/#")).isFalse();
  }

  @Test
  void anExpiredActorBeyondLane64TakesOnlyItsOwnLane() {
    ExternalRoutes routes = new ExternalRoutes();
    for (int i = 0; i < 70; i++) {
      routes.actorInit("P", "n" + i, 1, i == 69 ? 10 : Long.MAX_VALUE);
    }
    routes.add("P", "n69", 1, "a", "a");
    routes.add("P", "n69", 1, "b", "b");
    routes.add("P", "n68", 1, "b", "b");
    assertThat(routes.gc(100)).containsExactly("P/n69");
    assertThat(routes.hasRoute("P", "a", "a")).isFalse();
    assertThat(routes.hasRoute("P", "b", "b")).isTrue();
    assertThat(routes.liveActorCount("P", 100)).isEqualTo(69);
    assertThat(routes.actorInit("P", "new", 1, Long.MAX_VALUE)).isEqualTo(ExternalRoutes.InitResult.CREATED);
  }
}
