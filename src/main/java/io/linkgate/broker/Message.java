package io.linkgate.broker;

import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * An application message as it is routed inside the broker. Immutable and shared by every delivery of it, so fan-out
 * costs one reference per subscriber.
 *
 * @param publisherId client id of the publisher ("" for messages the broker makes itself)
 * @param origin      name of the peer cluster a message came from over a link, {@code null} for local messages;
 *                    messages with an origin are never forwarded again
 * @param expiresAt   epoch millis after which the message must not be delivered, 0 for never
 */
public record Message(
  String topic,
  Buffer payload,
  int qos,
  boolean retain,
  Integer payloadFormat,
  String contentType,
  String responseTopic,
  byte[] correlationData,
  List<StringPair> userProperties,
  String publisherId,
  String origin,
  long createdAt,
  long expiresAt) {

  public Message {
    userProperties = userProperties == null ? List.of() : userProperties;
  }

  /** A plain message with no MQTT 5 properties. */
  public static Message simple(String topic, Buffer payload, int qos, boolean retain, String publisherId) {
    return new Message(topic, payload, qos, retain, null, null, null, null, List.of(), publisherId, null,
      System.currentTimeMillis(), 0);
  }

  public boolean isExpired(long now) {
    return expiresAt != 0 && now >= expiresAt;
  }

  /** Remaining expiry in whole seconds (at least 1 while not expired), or -1 when the message never expires. */
  public long remainingExpirySeconds(long now) {
    if (expiresAt == 0) {
      return -1;
    }
    return Math.max(1, (expiresAt - now + 999) / 1000);
  }
}
