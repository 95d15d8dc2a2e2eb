package io.linkgate.metrics;

import io.linkgate.link.ForwardingMetrics;
import io.linkgate.link.InboundLinkStats;

import java.util.function.ToLongFunction;

/**
 * Every meter name and tag Linkgate exports, in one place. Names are dotted lower case with a {@code linkgate.}
 * prefix and no {@code _total} suffix; the Prometheus registry renders {@code linkgate.messages.received} as
 * {@code linkgate_messages_received_total} and adds the base unit ({@code _bytes}, {@code _seconds}). Tag values
 * come from the enums below (or, for {@code link}, from the configured link names): never a client id or a topic.
 * {@code docs/metrics.md} describes each meter.
 */
public final class MetricNames {
  private static final String P = "linkgate.";

  // ---- broker (counters are cumulative since the node started) ----

  /** Gauge: MQTT connections open now. */
  public static final String BROKER_CONNECTIONS = P + "broker.connections";
  /** Counter: MQTT connections accepted. */
  public static final String BROKER_CONNECTIONS_OPENED = P + "broker.connections.opened";
  /** Gauge: sessions (connected, and persistent ones whose client is away). */
  public static final String BROKER_SESSIONS = P + "broker.sessions";
  /** Gauge: subscriptions (a shared subscription counts once per member). */
  public static final String BROKER_SUBSCRIPTIONS = P + "broker.subscriptions";
  /** Gauge: retained messages stored. */
  public static final String BROKER_RETAINED = P + "broker.retained";

  /** Counter: messages published into the broker (by local clients and by peer clusters). */
  public static final String MESSAGES_RECEIVED = P + "messages.received";
  /** Counter: PUBLISH packets written to subscribers. */
  public static final String MESSAGES_DELIVERED = P + "messages.delivered";
  /** Counter, tag {@link #TAG_REASON} ({@code BrokerMetrics.DropReason} tag values): deliveries given up. */
  public static final String MESSAGES_DROPPED = P + "messages.dropped";
  /** Counter: published messages that matched no local subscription. */
  public static final String MESSAGES_NO_SUBSCRIBERS = P + "messages.no.subscribers";
  /** Counter (bytes): PUBLISH payload bytes received from clients. */
  public static final String PAYLOAD_RECEIVED = P + "payload.received";
  /** Counter (bytes): PUBLISH payload bytes written to subscribers. */
  public static final String PAYLOAD_SENT = P + "payload.sent";
  /** Counter: PUBLISH packets refused by authorization. */
  public static final String PUBLISH_DENIED = P + "publish.denied";
  /**
   * Counter: PUBLISH packets to {@code $LINK/} refused by authorization (a client that is not a cluster-link client
   * tried to inject routes or messages); also counted in {@link #PUBLISH_DENIED}.
   */
  public static final String LINK_PUBLISH_DENIED = P + "authorization.link.denied";
  /** Counter: topic filters refused by authorization in SUBSCRIBE packets. */
  public static final String SUBSCRIBE_DENIED = P + "subscribe.denied";
  /**
   * Counter, tag {@link #TAG_LIMIT} ({@code BrokerMetrics.Limit} tag values): requests refused because a configured
   * limit was reached (connections, connection rate, packet size, topic levels, subscriptions, inflight, queue,
   * API login attempts).
   */
  public static final String LIMITS_EXCEEDED = P + "limits.exceeded";
  /**
   * Counter, tag {@link #TAG_OUTCOME} ({@code io.linkgate.authn.AuthnOutcome} tag values): CONNECTs by how
   * authentication ended.
   */
  public static final String AUTHENTICATIONS = P + "authentications";

  // ---- cluster links (tag link = the link's configured name, which is the peer cluster's name) ----

  /** Gauge, state set: 1 for the link's current {@link #TAG_STATUS}, 0 for the other values. */
  public static final String LINK_STATUS = P + "link.status";
  /** Gauge: route entries (filter, route id) the peer has replicated to us. */
  public static final String LINK_ROUTES = P + "link.routes";
  /** Gauge: the peer's live route-replication actors. */
  public static final String LINK_ACTORS = P + "link.actors";
  /** Counter, tag {@link #TAG_OUTCOME} ({@link ForwardOutcome}): local messages forwarded to the peer. */
  public static final String LINK_MESSAGES_FORWARDED = P + "link.messages.forwarded";
  /** Gauge: messages waiting in the link's forwarding buffer. */
  public static final String LINK_QUEUING = P + "link.queuing";
  /** Gauge: messages sent to the peer and not yet acknowledged. */
  public static final String LINK_INFLIGHT = P + "link.inflight";
  /** Gauge: unacknowledged messages in a durable link buffer ({@code buffer_mode = durable} only). */
  public static final String LINK_BUFFER_BACKLOG = P + "link.buffer.backlog";
  /** Gauge (bytes): their size. */
  public static final String LINK_BUFFER_BACKLOG_BYTES = P + "link.buffer.backlog.size";
  /** Gauge (seconds): the age of the oldest of them, 0 when there is none. */
  public static final String LINK_BUFFER_OLDEST_AGE = P + "link.buffer.oldest.age";
  /** Counter: messages a previous run left in the durable buffer, queued again at start. */
  public static final String LINK_BUFFER_REPLAYED = P + "link.buffer.replayed";
  /** Counter, tag {@link #TAG_OUTCOME} ({@link ReceiveOutcome}): messages the peer forwarded to us. */
  public static final String LINK_MESSAGES_RECEIVED = P + "link.messages.received";
  /**
   * Counter: properties (User-Property pairs, Content-Type, Response-Topic) left out of messages the peer forwarded
   * because they were not valid MQTT strings (invalid UTF-8, U+0000); the messages themselves were delivered.
   */
  public static final String LINK_PROPERTIES_DROPPED = P + "link.properties.dropped";

  // ---- runtime ----

  /** Gauge (seconds), tag {@link #TAG_THREAD}: how late the last probe task ran on that event loop. */
  public static final String EVENTLOOP_LAG = P + "eventloop.lag";

  // ---- tags ----

  public static final String TAG_REASON = "reason";
  public static final String TAG_LIMIT = "limit";
  public static final String TAG_LINK = "link";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_STATUS = "status";
  public static final String TAG_THREAD = "thread";

  private MetricNames() {
  }

  /** {@code outcome} of {@link #LINK_MESSAGES_FORWARDED}, read from a link's {@link ForwardingMetrics}. */
  public enum ForwardOutcome {
    /** handed to the link (the message has a subscriber on the peer) */
    MATCHED("matched", ForwardingMetrics::matched),
    /** acknowledged by the peer, or written for QoS 0 */
    SUCCESS("success", ForwardingMetrics::success),
    /** refused by the peer (PUBACK reason code >= 0x80) */
    FAILED("failed", ForwardingMetrics::failed),
    /** not sent: buffer full or older than request_ttl */
    DROPPED("dropped", ForwardingMetrics::dropped),
    /** sent again after a connection loss */
    RETRIED("retried", ForwardingMetrics::retried);

    public final String tag;
    final ToLongFunction<ForwardingMetrics> read;

    ForwardOutcome(String tag, ToLongFunction<ForwardingMetrics> read) {
      this.tag = tag;
      this.read = read;
    }
  }

  /** {@code outcome} of {@link #LINK_MESSAGES_RECEIVED}, read from {@link InboundLinkStats}. */
  public enum ReceiveOutcome {
    /** published locally */
    ACCEPTED("accepted", InboundLinkStats::received),
    /** refused: link disabled, topic outside our link's topics, undecodable, expired on arrival */
    DROPPED("dropped", InboundLinkStats::dropped);

    public final String tag;
    final ToLongFunction<InboundLinkStats> read;

    ReceiveOutcome(String tag, ToLongFunction<InboundLinkStats> read) {
      this.tag = tag;
      this.read = read;
    }
  }

  /** {@code status} of {@link #LINK_STATUS}: the values {@code LinkStatus.status()} takes. */
  public enum LinkStatusValue {
    /** route replication online and every forwarding client connected */
    RUNNING("running"),
    /** connected, but stalled or the peer no longer links back (see the link's {@code reason}) */
    DEGRADED("degraded"),
    /** coming up, or some forwarding clients down */
    CONNECTING("connecting"),
    /** route replication down */
    DISCONNECTED("disconnected");

    public final String tag;

    LinkStatusValue(String tag) {
      this.tag = tag;
    }
  }
}
