package io.linkgate.broker;

/**
 * The {@code mqtt.*} settings the broker enforces, in the units it uses. Built from the validated config.
 *
 * @param maxMqueueLen           offline/overflow queue bound per session, {@code Integer.MAX_VALUE} for infinity
 * @param sessionExpirySeconds   upper bound for session expiry; also the expiry of MQTT 3.1.1 persistent sessions
 * @param serverKeepAliveSeconds 0 when the client's keep alive is accepted as is
 * @param maxSubscriptions       per session, {@code Integer.MAX_VALUE} for infinity
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
  int connectTimeoutSeconds) {

  public static BrokerLimits defaults() {
    return new BrokerLimits(1024 * 1024, 65535, 128, 65535, 32, 1000, true, Integer.MAX_VALUE, 7200, true, true, true,
      2, 1.5, 0, 100, 300_000, 15);
  }
}
