package io.linkgate.broker;

import io.linkgate.authn.AuthnOutcome;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Broker counters, written only by the broker thread and read by metric gauges (a torn read of a long counter is
 * harmless for monitoring). Names of the exported meters live in the metrics package.
 */
public final class BrokerMetrics {

  /** Why a message was not delivered to a session. Tag values, so keep them stable. */
  public enum DropReason {
    QUEUE_FULL("queue_full"),
    EXPIRED("expired"),
    QOS0_OFFLINE("qos0_offline"),
    SLOW_CONSUMER("slow_consumer"),
    TOO_LARGE("too_large"),
    NOT_AUTHORIZED("not_authorized"),
    SESSION_ENDED("session_ended");

    public final String tag;

    DropReason(String tag) {
      this.tag = tag;
    }
  }

  /** A configured limit a client (or API caller) ran into. Tag values of {@code linkgate.limits.exceeded}. */
  public enum Limit {
    MAX_CONNECTIONS("max_connections"),
    MAX_CONN_RATE("max_conn_rate"),
    MAX_PACKET_SIZE("max_packet_size"),
    MAX_CLIENTID_LEN("max_clientid_len"),
    MAX_TOPIC_LEVELS("max_topic_levels"),
    MAX_SUBSCRIPTIONS("max_subscriptions"),
    MAX_INFLIGHT("max_inflight"),
    MAX_MQUEUE_LEN("max_mqueue_len"),
    API_LOGIN_ATTEMPTS("api_login_attempts");

    public final String tag;

    Limit(String tag) {
      this.tag = tag;
    }
  }

  long connectionsTotal;
  long messagesReceived;
  long messagesDelivered;
  long messagesNoSubscribers;
  long bytesReceived;
  long bytesSent;
  long publishDenied;
  long linkPublishDenied;
  long subscribeDenied;
  private final Map<DropReason, long[]> drops = new EnumMap<>(DropReason.class);
  /** Adders, not plain fields: the API's login limit is counted on the API's event loops. */
  private final Map<Limit, LongAdder> limits = new EnumMap<>(Limit.class);
  private final Map<AuthnOutcome, long[]> authentications = new EnumMap<>(AuthnOutcome.class);

  public BrokerMetrics() {
    for (DropReason r : DropReason.values()) {
      drops.put(r, new long[1]);
    }
    for (Limit l : Limit.values()) {
      limits.put(l, new LongAdder());
    }
    for (AuthnOutcome o : AuthnOutcome.values()) {
      authentications.put(o, new long[1]);
    }
  }

  void countAuthentication(AuthnOutcome outcome) {
    authentications.get(outcome)[0]++;
  }

  /** CONNECTs that authentication ended this way. */
  public long authentications(AuthnOutcome outcome) {
    return authentications.get(outcome)[0];
  }

  void countDrop(DropReason reason) {
    drops.get(reason)[0]++;
  }

  /** Thread-safe. */
  public void countLimit(Limit limit) {
    limits.get(limit).increment();
  }

  public long limitExceeded(Limit limit) {
    return limits.get(limit).sum();
  }

  public long dropped(DropReason reason) {
    return drops.get(reason)[0];
  }

  public long droppedTotal() {
    long sum = 0;
    for (long[] c : drops.values()) {
      sum += c[0];
    }
    return sum;
  }

  public long connectionsTotal() {
    return connectionsTotal;
  }

  public long messagesReceived() {
    return messagesReceived;
  }

  public long messagesDelivered() {
    return messagesDelivered;
  }

  public long messagesNoSubscribers() {
    return messagesNoSubscribers;
  }

  public long bytesReceived() {
    return bytesReceived;
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long publishDenied() {
    return publishDenied;
  }

  /** PUBLISH packets to {@code $LINK/} refused by authorization: attempts to spoof a cluster link. */
  public long linkPublishDenied() {
    return linkPublishDenied;
  }

  public long subscribeDenied() {
    return subscribeDenied;
  }
}
