package io.linkgate.broker;

/**
 * A message on its way to one session: what the session owes the client, in its inflight window or its queue.
 * Mutable only by the broker thread.
 */
final class Delivery {
  final Message message;
  final int qos;
  final boolean retain;
  /** The MQTT 5 subscription identifier to send, 0 for none; see {@link #subscriptionIds} when several match. */
  final int subscriptionId;
  /** Set instead of {@link #subscriptionId} when several subscriptions with identifiers matched; else null. */
  final int[] subscriptionIds;
  /** The shared group this delivery was picked for, so it can go to another member if this one leaves. */
  final SharedGroup group;
  int packetId;
  /** QoS 2: PUBREC received, PUBREL sent; only PUBCOMP is outstanding. */
  boolean released;
  /** When the PUBLISH (or PUBREL) was last written, for the MQTT 3.1.1 retry. */
  long sentAt;

  Delivery(Message message, int qos, boolean retain, int subscriptionId, SharedGroup group) {
    this(message, qos, retain, subscriptionId, null, group);
  }

  Delivery(Message message, int qos, boolean retain, int subscriptionId, int[] subscriptionIds, SharedGroup group) {
    this.message = message;
    this.qos = qos;
    this.retain = retain;
    this.subscriptionId = subscriptionId;
    this.subscriptionIds = subscriptionIds;
    this.group = group;
  }
}
