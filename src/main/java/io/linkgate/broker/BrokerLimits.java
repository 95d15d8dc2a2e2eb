package io.linkgate.broker;

/**
 * The {@code mqtt.*} settings the broker enforces, in the units it uses. Built from the validated config.
 *
 * @param maxMqueueLen           offline/overflow queue bound per session, {@code Integer.MAX_VALUE} for infinity
 * @param sessionExpirySeconds   upper bound for session expiry; also the expiry of MQTT 3.1.1 persistent sessions
 * @param serverKeepAliveSeconds 0 when the client's keep alive is accepted as is
 * @param maxSubscriptions       per session, {@code Integer.MAX_VALUE} for infinity
 * @param retryIntervalMillis    resend of unacknowledged QoS 1/2 messages to MQTT 3.1.1 clients (MQTT 5 forbids
 *                               resending except on reconnect)
 * @param maxOutboundBytes       bytes of PUBLISH packets that may wait to be written to one client
 */
public record BrokerLimits(
  int maxPacketSize,
  int maxClientIdLength,
  int maxTopicLevels,
  int maxTopicAlias,
  int maxInflight,
  int maxMqueueLen,
  boolean mqueueStoreQos0,
  int maxSubscriptions,
  long sessionExpirySeconds,
  boolean retainAvailable,
  boolean sharedSubscription,
  boolean wildcardSubscription,
  int maxQosAllowed,
  double keepaliveMultiplier,
  int serverKeepAliveSeconds,
  int maxAwaitingRel,
  long awaitRelTimeoutMillis,
  int connectTimeoutSeconds,
  long retryIntervalMillis,
  int maxOutboundBytes) {

  /** The limits an {@code mqtt { ... }} config section asks for. */
  public static BrokerLimits from(io.linkgate.config.MqttOptions o) {
    long expiry = Math.min(o.sessionExpiryInterval().toSeconds(), 0xFFFF_FFFFL);
    int connectTimeout = (int) Math.min(o.idleTimeout().toSeconds(), Integer.MAX_VALUE);
    long awaitRel = Math.min(o.awaitRelTimeout().toMillis(), Long.MAX_VALUE / 2);
    return new BrokerLimits(o.maxPacketSize(), o.maxClientidLen(), o.maxTopicLevels(), o.maxTopicAlias(),
      o.maxInflight(), o.maxMqueueLen(), o.mqueueStoreQos0(), o.maxSubscriptions(), expiry, o.retainAvailable(),
      o.sharedSubscription(), o.wildcardSubscription(), o.maxQosAllowed(), o.keepaliveMultiplier(),
      o.serverKeepalive(), o.maxAwaitingRel(), awaitRel, Math.max(connectTimeout, 1),
      Math.min(o.retryInterval().toMillis(), Long.MAX_VALUE / 2), o.maxOutboundBytes());
  }

  public static BrokerLimits defaults() {
    return new BrokerLimits(1024 * 1024, 65535, 128, 65535, 32, 1000, true, Integer.MAX_VALUE, 7200, true, true, true,
      2, 1.5, 0, 100, 300_000, 15, 30_000, 4 * 1024 * 1024);
  }
}
