package io.linkgate.broker;

import io.vertx.core.Future;

/**
 * Consumes client publishes to {@code $LINK/...}: they are cluster-link control and data traffic, never delivered to
 * ordinary subscribers. The cluster-link code installs the real handler; until then the broker swallows them.
 */
public interface LinkMessageHandler {

  /** PUBACK reason code 0x10: accepted, nobody subscribed (what EMQX answers for consumed link traffic). */
  int NO_MATCHING_SUBSCRIBERS = 0x10;

  LinkMessageHandler SWALLOW = (connection, message) -> Future.succeededFuture(NO_MATCHING_SUBSCRIBERS);

  /**
   * @return the reason code to acknowledge the publish with; a failed future disconnects the client (0x83)
   */
  Future<Integer> handle(MqttConnection connection, Message message);
}
