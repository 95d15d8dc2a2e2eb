package io.linkgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkgate.link.InboundLinkStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Properties dropped for invalid UTF-8 on a link are a counter of their own, one series per link. */
@Timeout(30)
class LinkPropertiesDroppedMeterTest {

  @Test
  void countsOnlyGoUp() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LinkMeters meters = new LinkMeters(registry, "cl.source");
    meters.update(new InboundLinkStats(0, 1, 5, 0, 3));
    assertThat(count(registry)).isEqualTo(3);
    meters.update(new InboundLinkStats(0, 1, 6, 0, 4));
    assertThat(count(registry)).isEqualTo(4);
    meters.update(new InboundLinkStats(0, 1, 0, 0, 1)); // the link's counts restarted
    assertThat(count(registry)).isEqualTo(5);
    meters.remove();
    assertThat(registry.getMeters()).isEmpty();
  }

  private static double count(SimpleMeterRegistry registry) {
    return registry.get(MetricNames.LINK_PROPERTIES_DROPPED).tag("link", "cl.source").counter().count();
  }
}
