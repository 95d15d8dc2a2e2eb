package io.linkgate.metrics;

import io.linkgate.link.InboundLinkStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkMetersTest {

  @Test
  void countersOnlyGoUpWhenTheLinkCountsRestartAndAreRemovedTogether() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LinkMeters meters = new LinkMeters(registry, "peer");
    assertThat(registry.getMeters()).isEmpty(); // nothing before the first sample

    meters.update(new InboundLinkStats(3, 1, 10, 2));
    assertThat(accepted(registry)).isEqualTo(10);
    assertThat(registry.get(MetricNames.LINK_ROUTES).tag("link", "peer").gauge().value()).isEqualTo(3);

    meters.update(new InboundLinkStats(4, 1, 15, 2));
    assertThat(accepted(registry)).isEqualTo(15);

    meters.update(new InboundLinkStats(4, 1, 3, 0)); // reset through the API, or the link restarted
    assertThat(accepted(registry)).isEqualTo(18);
    assertThat(registry.get(MetricNames.LINK_MESSAGES_RECEIVED).tag("outcome", "dropped").counter().count())
      .isEqualTo(2);

    meters.remove();
    assertThat(registry.getMeters()).isEmpty();
  }

  private static double accepted(SimpleMeterRegistry registry) {
    return registry.get(MetricNames.LINK_MESSAGES_RECEIVED).tags("link", "peer", "outcome", "accepted").counter()
      .count();
  }
}
