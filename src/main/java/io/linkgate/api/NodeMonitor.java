package io.linkgate.api;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerMetrics;
import io.linkgate.broker.BrokerVerticle;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v5/monitor_current} (EMQX's path): this node's current load for the dashboard's Overview page.
 * Gauges and message totals since start, plus per-second rates over the time since the previous sample that is at
 * least a second old. The sample is taken on the broker's event loop, which also owns the previous one (no lock).
 */
public final class NodeMonitor implements Handler<Router> {
  static final String PATH = ApiVerticle.BASE + "/monitor_current";
  private static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BrokerVerticle broker;
  private final BrokerMetrics counters;
  private final String nodeName;
  /** Broker event loop only. */
  private Sample previous;
  private Rates rates = new Rates(0, 0, 0);

  private record Sample(long atNanos, long received, long sent, long dropped) {
  }

  private record Rates(double received, double sent, double dropped) {
  }

  public NodeMonitor(BrokerVerticle broker, BrokerMetrics counters, String nodeName) {
    this.broker = broker;
    this.counters = counters;
    this.nodeName = nodeName;
  }

  @Override
  public void handle(Router router) {
    router.get(PATH).respond(ctx -> broker.onBroker(this::current));
  }

  private JsonObject current(Broker b) {
    Sample now = new Sample(System.nanoTime(), counters.messagesReceived(), counters.messagesDelivered(),
      counters.droppedTotal());
    if (previous == null) {
      previous = now;
    } else if (now.atNanos - previous.atNanos >= MIN_INTERVAL_NANOS) {
      double seconds = (now.atNanos - previous.atNanos) / 1e9;
      rates = new Rates((now.received - previous.received) / seconds, (now.sent - previous.sent) / seconds,
        (now.dropped - previous.dropped) / seconds);
      previous = now;
    }
    return new JsonObject()
      .put("node", nodeName)
      .put("connections", b.connectionCount())
      .put("live_connections", b.connectionCount())
      .put("sessions", b.sessionCount())
      .put("subscriptions", b.subscriptionCount())
      .put("retained_msg_count", b.retainedCount())
      .put("received", now.received)
      .put("sent", now.sent)
      .put("dropped", now.dropped)
      .put("no_subscribers", counters.messagesNoSubscribers())
      .put("received_msg_rate", round(rates.received))
      .put("sent_msg_rate", round(rates.sent))
      .put("dropped_msg_rate", round(rates.dropped));
  }

  private static double round(double rate) {
    return Math.round(rate * 10) / 10.0;
  }
}
