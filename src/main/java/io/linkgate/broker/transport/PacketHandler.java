package io.linkgate.broker.transport;

import io.netty.handler.codec.mqtt.MqttMessage;

/** What the transport tells the broker about one connection. All calls arrive on the listener's event loop. */
public interface PacketHandler {

  /** A decoded packet; check {@code decoderResult()}: Netty reports some malformed packets this way. */
  void onPacket(MqttMessage packet);

  /** The bytes could not be read as MQTT (or the socket failed); the transport closes the connection after this. */
  void onError(Throwable cause);

  void onClosed();
}
