package io.linkgate.broker;

import io.linkgate.authn.AuthnOutcome;

import java.util.EnumMap;
import java.util.Map;

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

  long connectionsTotal;
  long messagesReceived;
  long messagesDelivered;
  long messagesNoSubscribers;
  long bytesReceived;
  long bytesSent;
  long publishDenied;
  private final Map<DropReason, long[]> drops = new EnumMap<>(DropReason.class);
  private final Map<AuthnOutcome, long[]> authentications = new EnumMap<>(AuthnOutcome.class);

  public BrokerMetrics() {
    for (DropReason r : DropReason.values()) {
      drops.put(r, new long[1]);
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
}
