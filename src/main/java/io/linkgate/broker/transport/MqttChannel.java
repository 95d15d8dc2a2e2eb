package io.linkgate.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * Writes MQTT packets to one client socket (Netty's encoder sits in its pipeline). The MQTT version is known to the
 * encoder from the CONNECT it decoded, so MQTT 3.1.1 packets leave out reason codes and properties by themselves.
 * Used only from the broker's event loop.
 */
public final class MqttChannel {
  private static final MqttFixedHeader PINGRESP =
    new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0);

  private final NetSocketInternal socket;
  private final String listener;
  private boolean closed;

  MqttChannel(NetSocketInternal socket, String listener) {
    this.socket = socket;
    this.listener = listener;
  }

  public String listener() {
    return listener;
  }

  public String remoteHost() {
    return socket.remoteAddress() == null ? "" : socket.remoteAddress().host();
  }

  /** Stops reading from the socket: packets wait (in the socket's buffers) until {@link #resume()}. */
  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  /**
   * The CN of the client's certificate on a TLS listener that verifies peers, or null: no TLS, no certificate
   * sent, or no CN in it. The TLS handshake (finished before the first packet) already checked it against the
   * listener's {@code cacertfile}.
   */
  public String peerCertCn() {
    if (!socket.isSsl()) {
      return null;
    }
    try {
      java.util.List<java.security.cert.Certificate> chain = socket.peerCertificates();
      if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof java.security.cert.X509Certificate cert)) {
        return null;
      }
      return CertNames.commonName(cert);
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return null; // the client sent no certificate
    }
  }

  public void connack(MqttConnectReturnCode code, boolean sessionPresent, MqttProperties props) {
    write(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(sessionPresent).properties(props).build());
  }

  public Future<Void> publish(String topic, ByteBuf payload, int qos, boolean dup, boolean retain, int packetId,
                              MqttProperties props) {
    return write(new MqttPublishMessage(
      new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
      new MqttPublishVariableHeader(topic, packetId, props), payload));
  }

  public void puback(int packetId, int reasonCode) {
    write(MqttMessageBuilders.pubAck().packetId(packetId).reasonCode((byte) reasonCode).build());
  }

  public void pubrec(int packetId, int reasonCode) {
    reply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId, reasonCode);
  }

  public void pubrel(int packetId) {
    reply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId, 0);
  }

  public void pubcomp(int packetId, int reasonCode) {
    reply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId, reasonCode);
  }

  private void reply(MqttMessageType type, MqttQoS qos, int packetId, int reasonCode) {
    write(new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
      new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES)));
  }

  public void suback(int packetId, int[] reasonCodes) {
    write(new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
      new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
      new MqttSubAckPayload(reasonCodes)));
  }

  public void unsuback(int packetId, short[] reasonCodes) {
    write(new MqttUnsubAckMessage(new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
      new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
      new MqttUnsubAckPayload(reasonCodes)));
  }

  public void pingresp() {
    write(new MqttMessage(PINGRESP));
  }

  /** Sends DISCONNECT with the reason (MQTT 5 only; pass {@code v5=false} for 3.1.1) and closes. */
  public void disconnect(boolean v5, int reasonCode) {
    if (v5 && !closed) {
      write(MqttMessageBuilders.disconnect().reasonCode((byte) reasonCode).build());
    }
    close();
  }

  public void close() {
    if (!closed) {
      closed = true;
      socket.close();
    }
  }

  void markClosed() {
    closed = true;
  }

  private Future<Void> write(MqttMessage m) {
    if (closed) {
      io.netty.util.ReferenceCountUtil.release(m);
      return Future.failedFuture("connection closed");
    }
    return socket.writeMessage(m);
  }
}
