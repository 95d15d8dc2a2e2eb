package io.linkgate.link.client;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * One outgoing MQTT 5 connection of a cluster link, as the route-replication actor and the forwarding pool use it.
 * {@link #create} gives the MQTT implementation ({@link MqttLinkClient}); the link takes a {@link Factory} so that its
 * state machines can be driven by a fake in unit tests. Every method must be called on the context that created the
 * client; callbacks run there too.
 */
public interface LinkClient {

  /** Makes the clients of a link: {@code LinkClient::create} in production. */
  @FunctionalInterface
  interface Factory {
    LinkClient create(Vertx vertx, LinkClientOptions options);
  }

  /** An application message the peer sent us. */
  record Incoming(String topic, byte[] payload, int qos, MqttProperties properties) {
  }

  /** The MQTT 5 client, not yet connected. */
  static LinkClient create(Vertx vertx, LinkClientOptions options) {
    return new MqttLinkClient(vertx, options);
  }

  LinkClient messageHandler(Handler<Incoming> handler);

  /** Called once when an established or pending connection ends, with the reason (also after a local close). */
  LinkClient closeHandler(Handler<LinkClientException> handler);

  boolean isConnected();

  /** QoS 1 publishes sent and not yet acknowledged. */
  int inflightCount();

  /** Unacknowledged QoS 1 publishes allowed: ours, capped by the server's Receive Maximum. */
  int window();

  /** The keep alive in use: ours until the CONNACK, then the peer's Server Keep Alive if it sent one. */
  long keepAliveMillis();

  /** The peer's Maximum Packet Size, 0 when unlimited. */
  long maximumPacketSize();

  /** Whether a QoS 1 PUBLISH of this topic, payload and properties stays within the peer's Maximum Packet Size. */
  boolean fits(String topic, byte[] payload, MqttProperties properties);

  /** Connects and completes with the CONNACK, or fails with a {@link LinkClientException}. */
  Future<MqttConnAckMessage> connect();

  /** Subscribes and completes with the SUBACK reason codes. */
  Future<int[]> subscribe(String filter, int qos);

  /**
   * Publishes; QoS 0 completes when written, QoS 1 with the PUBACK reason code. A full window fails with
   * {@code inflight_full}: the caller buffers (see {@link #window()}). A packet larger than the peer's Maximum
   * Packet Size is not sent: it fails with {@code packet_too_large}. When the connection drops, unacknowledged
   * publishes fail before the close handler runs.
   */
  Future<Integer> publish(String topic, byte[] payload, int qos, MqttProperties properties);

  /** Sends DISCONNECT (normal) and closes. */
  Future<Void> disconnect();

  /** Closes now, without waiting for anything: also aborts a pending TCP connect or CONNACK. */
  Future<Void> close(LinkClientException reason);
}
