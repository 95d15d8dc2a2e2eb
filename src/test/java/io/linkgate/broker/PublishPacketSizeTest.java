package io.linkgate.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The size the broker holds against a client's Maximum Packet Size is the size Netty's encoder writes, byte for
 * byte, for every property a delivered PUBLISH can carry (the mosquitto tests check the boundary on the wire).
 */
@Timeout(30)
class PublishPacketSizeTest {
  /** Netty keeps the protocol version of a channel under this attribute name. */
  private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  static Stream<Arguments> packets() {
    long now = System.currentTimeMillis();
    Message plain = new Message("TopicA", Buffer.buffer("x".repeat(32)), 0, false, null, null, null, null, List.of(),
      "p", null, now, 0);
    Message everything = new Message("dévices/😀/temp", Buffer.buffer("y".repeat(300)), 2, true, 1, "text/plain; é",
      "reply/to", new byte[] {1, 2, 3, 4}, List.of(new StringPair("k", "v"), new StringPair("k", "wë"),
      new StringPair("", "")), "p", null, now, now + 90_000);
    Message large = new Message("big", Buffer.buffer(new byte[20_000]), 1, false, null, null, null, null, List.of(),
      "p", null, now, 0);
    return Stream.of(
      Arguments.of("plain QoS 0", plain, 0, 0, null, 0, false),
      Arguments.of("plain QoS 1", plain, 1, 0, null, 0, false),
      Arguments.of("one identifier", plain, 0, 5, null, 0, false),
      Arguments.of("identifiers of 1 to 4 bytes", plain, 1, 0, new int[] {1, 200, 20_000, 268_435_455}, 0, false),
      Arguments.of("new topic alias", plain, 0, 0, null, 7, false),
      Arguments.of("known topic alias", plain, 2, 3, null, 7, true),
      Arguments.of("every property, non-ASCII", everything, 2, 0, new int[] {9, 300}, 0, false),
      Arguments.of("3-byte remaining length", large, 1, 0, null, 65_535, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packets")
  void theCountedSizeIsTheEncodedSize(String name, Message m, int qos, int id, int[] ids, int alias, boolean known) {
    Delivery d = new Delivery(m, qos, false, id, ids, null);
    MqttProperties props = Mqtt5Properties.forDelivery(m, d, System.currentTimeMillis());
    String wireTopic = known ? "" : m.topic();
    if (alias > 0) {
      props.add(new IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
    }
    int counted = Mqtt5Properties.publishPacketSize(wireTopic, qos, props, m.payload().length());

    EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
    channel.attr(VERSION).set(MqttVersion.MQTT_5);
    channel.writeOutbound(new MqttPublishMessage(
      new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
      new MqttPublishVariableHeader(wireTopic, qos == 0 ? 0 : 1, props), Unpooled.wrappedBuffer(m.payload().getBytes())));
    int encoded = 0;
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      encoded += b.readableBytes();
      b.release();
    }
    channel.finishAndReleaseAll();
    assertThat(counted).isEqualTo(encoded);
  }
}
