package io.linkgate.metrics;

import io.linkgate.link.InboundLinkStats;
import io.linkgate.link.LinkStatus;
import io.linkgate.metrics.MetricNames.ForwardOutcome;
import io.linkgate.metrics.MetricNames.LinkStatusValue;
import io.linkgate.metrics.MetricNames.ReceiveOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters of one running link, fed with its {@link LinkStatus} and the route sync's {@link InboundLinkStats}.
 * Meters are registered on the first sample of each kind (so a link that never answered shows no made-up zeros) and
 * removed together by {@link #remove()}.
 *
 * <p>The link reports cumulative counts that restart at zero when the link restarts or its metrics are reset through
 * the API. The Prometheus counters here only ever go up: each sample adds its difference to the previous one, or the
 * whole new count when the count went down.
 *
 * <p>Updated on the gateway verticle's context; the gauges read volatile fields from the scrape thread.
 */
final class LinkMeters {
  private final MeterRegistry registry;
  private final String link;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();

  private Counter[] forwarded;
  private final long[] lastForwarded = new long[ForwardOutcome.values().length];
  private volatile String status;
  private volatile long queuing;
  private volatile long inflight;
  private boolean bufferMeters;
  private volatile long backlog;
  private volatile long backlogBytes;
  private volatile double oldestAgeSeconds;
  private Counter replayed;
  private final long[] lastReplayed = new long[1];

  private Counter[] received;
  private final long[] lastReceived = new long[ReceiveOutcome.values().length];
  private Counter propertiesDropped;
  private final long[] lastPropertiesDropped = new long[1];
  private volatile int routes;
  private volatile int actors;

  LinkMeters(MeterRegistry registry, String link) {
    this.registry = registry;
    this.link = link;
    this.tags = Tags.of(MetricNames.TAG_LINK, link);
  }

  String link() {
    return link;
  }

  void update(LinkStatus s) {
    if (forwarded == null) {
      registerStatusMeters();
    }
    status = s.status();
    queuing = s.forwarding().queuing();
    inflight = s.forwarding().inflight();
    for (ForwardOutcome o : ForwardOutcome.values()) {
      add(forwarded[o.ordinal()], lastForwarded, o.ordinal(), o.read.applyAsLong(s.forwarding()));
    }
    var durable = s.forwarding().durable();
    if (durable != null) {
      if (!bufferMeters) {
        registerBufferMeters();
      }
      backlog = durable.backlogMessages();
      backlogBytes = durable.backlogBytes();
      oldestAgeSeconds = durable.oldestBacklogAgeMillis() / 1000.0;
      add(replayed, lastReplayed, 0, s.forwarding().replayedAfterRestart());
    }
  }

  private void registerBufferMeters() {
    bufferMeters = true;
    meters.add(Gauge.builder(MetricNames.LINK_BUFFER_BACKLOG, this, m -> m.backlog).tags(tags)
      .description("Unacknowledged messages in the link's durable buffer").register(registry));
    meters.add(Gauge.builder(MetricNames.LINK_BUFFER_BACKLOG_BYTES, this, m -> m.backlogBytes).tags(tags)
      .baseUnit("bytes").description("Size of the unacknowledged messages in the durable buffer").register(registry));
    meters.add(Gauge.builder(MetricNames.LINK_BUFFER_OLDEST_AGE, this, m -> m.oldestAgeSeconds).tags(tags)
      .baseUnit("seconds").description("Age of the oldest unacknowledged message in the durable buffer")
      .register(registry));
    replayed = Counter.builder(MetricNames.LINK_BUFFER_REPLAYED).tags(tags)
      .description("Messages a previous run left in the durable buffer, sent again after the restart")
      .register(registry);
    meters.add(replayed);
  }

  void update(InboundLinkStats s) {
    if (received == null) {
      registerInboundMeters();
    }
    routes = s.routes();
    actors = s.actors();
    for (ReceiveOutcome o : ReceiveOutcome.values()) {
      add(received[o.ordinal()], lastReceived, o.ordinal(), o.read.applyAsLong(s));
    }
    add(propertiesDropped, lastPropertiesDropped, 0, s.propertiesDropped());
  }

  private static void add(Counter counter, long[] last, int i, long now) {
    long delta = now >= last[i] ? now - last[i] : now;
    last[i] = now;
    if (delta > 0) {
      counter.increment(delta);
    }
  }

  private void registerStatusMeters() {
    for (LinkStatusValue v : LinkStatusValue.values()) {
      meters.add(Gauge.builder(MetricNames.LINK_STATUS, this, m -> v.tag.equals(m.status) ? 1 : 0)
        .tags(tags).tag(MetricNames.TAG_STATUS, v.tag)
        .description("1 for the link's current status, 0 for the others").register(registry));
    }
    forwarded = new Counter[ForwardOutcome.values().length];
    for (ForwardOutcome o : ForwardOutcome.values()) {
      forwarded[o.ordinal()] = Counter.builder(MetricNames.LINK_MESSAGES_FORWARDED)
        .tags(tags).tag(MetricNames.TAG_OUTCOME, o.tag)
        .description("Local messages forwarded to the peer cluster, by outcome").register(registry);
      meters.add(forwarded[o.ordinal()]);
    }
    meters.add(Gauge.builder(MetricNames.LINK_QUEUING, this, m -> m.queuing).tags(tags)
      .description("Messages waiting in the link's forwarding buffer").register(registry));
    meters.add(Gauge.builder(MetricNames.LINK_INFLIGHT, this, m -> m.inflight).tags(tags)
      .description("Messages sent to the peer cluster and not yet acknowledged").register(registry));
  }

  private void registerInboundMeters() {
    meters.add(Gauge.builder(MetricNames.LINK_ROUTES, this, m -> m.routes).tags(tags)
      .description("Route entries the peer cluster replicated to this cluster").register(registry));
    meters.add(Gauge.builder(MetricNames.LINK_ACTORS, this, m -> m.actors).tags(tags)
      .description("Live route-replication actors of the peer cluster").register(registry));
    received = new Counter[ReceiveOutcome.values().length];
    for (ReceiveOutcome o : ReceiveOutcome.values()) {
      received[o.ordinal()] = Counter.builder(MetricNames.LINK_MESSAGES_RECEIVED)
        .tags(tags).tag(MetricNames.TAG_OUTCOME, o.tag)
        .description("Messages the peer cluster forwarded to this cluster, by outcome").register(registry);
      meters.add(received[o.ordinal()]);
    }
    propertiesDropped = Counter.builder(MetricNames.LINK_PROPERTIES_DROPPED).tags(tags)
      .description("Properties left out of forwarded messages because they were not valid UTF-8").register(registry);
    meters.add(propertiesDropped);
  }

  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
    forwarded = null;
    received = null;
    bufferMeters = false;
  }
}
