package io.linkgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generator's raw frames (CONNECT, SUBSCRIBE, PUBLISH, PUBACK, PINGREQ, DISCONNECT) as an independent decoder
 * (Netty's {@link MqttDecoder}, as a broker would use it) reads them, for MQTT 3.1.1 and 5.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MqttFramesTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  /** Decodes a client's byte stream; the CONNECT first tells the decoder the protocol version. */
  private static List<MqttMessage> decode(ByteBuf... frames) {
    EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(1 << 20));
    for (ByteBuf f : frames) {
      ch.writeInbound(f);
    }
    List<MqttMessage> out = new ArrayList<>();
    MqttMessage m;
    while ((m = ch.readInbound()) != null) {
      assertThat(m.decoderResult().isSuccess()).as("decoded %s: %s", m, m.decoderResult()).isTrue();
      out.add(m);
    }
    ch.finishAndReleaseAll();
    return out;
  }

  @Test
  void controlAndPublishFramesDecodeInBothVersions() {
    for (int level : new int[] {4, 5}) {
      boolean v5 = level == 5;
      PublishFrame qos1 = new PublishFrame("bench/t", 1, 40, v5);
      ByteBuf publishes = Unpooled.buffer();
      qos1.write(publishes, 65535, 99L, 7L, 1);
      ByteBuf ack = Unpooled.buffer();
      MqttFrames.writePuback(ack, 513);
      assertThat(ack.readableBytes()).isEqualTo(MqttFrames.PUBACK_BYTES);

      List<MqttMessage> ms = decode(
          MqttFrames.connect(ALLOC, "lg-client-ü", level, 30),
          MqttFrames.subscribe(ALLOC, 1, "bench/+/x", 1, v5),
          publishes,
          ack,
          MqttFrames.pingreq(ALLOC),
          MqttFrames.disconnect(ALLOC));

      assertThat(ms).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.CONNECT,
          MqttMessageType.SUBSCRIBE, MqttMessageType.PUBLISH, MqttMessageType.PUBACK, MqttMessageType.PINGREQ,
          MqttMessageType.DISCONNECT);
      MqttConnectMessage c = (MqttConnectMessage) ms.get(0);
      assertThat(c.variableHeader().version()).isEqualTo(level);
      assertThat(c.variableHeader().isCleanSession()).isTrue();
      assertThat(c.variableHeader().keepAliveTimeSeconds()).isEqualTo(30);
      assertThat(c.payload().clientIdentifier()).isEqualTo("lg-client-ü");
      MqttSubscribeMessage s = (MqttSubscribeMessage) ms.get(1);
      assertThat(s.variableHeader().messageId()).isEqualTo(1);
      assertThat(s.payload().topicSubscriptions()).hasSize(1);
      assertThat(s.payload().topicSubscriptions().get(0).topicName()).isEqualTo("bench/+/x");
      assertThat(s.payload().topicSubscriptions().get(0).qualityOfService()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
      MqttPublishMessage p = (MqttPublishMessage) ms.get(2);
      assertThat(p.variableHeader().topicName()).isEqualTo("bench/t");
      assertThat(p.variableHeader().packetId()).isEqualTo(65535);
      assertThat(p.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
      assertThat(p.payload().readableBytes()).isEqualTo(40);
      assertThat(p.payload().getLong(p.payload().readerIndex() + PublishFrame.SEQ)).isEqualTo(7L);
      assertThat(((MqttMessageIdVariableHeader) ms.get(3).variableHeader()).messageId()).isEqualTo(513);
    }
  }

  @Test
  void connectAndSubscribeBytesEqualNettysEncoding() {
    for (boolean v5 : new boolean[] {false, true}) {
      MqttVersion version = v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
      ByteBuf netty = FrameReaderTest.encode(false,
          MqttMessageBuilders.connect().clientId("lg1").protocolVersion(version).cleanSession(true).keepAlive(60)
              .build(),
          MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, "bench/#").build());
      ByteBuf ours = Unpooled.buffer();
      ours.writeBytes(MqttFrames.connect(ALLOC, "lg1", v5 ? 5 : 4, 60));
      ours.writeBytes(MqttFrames.subscribe(ALLOC, 1, "bench/#", 1, v5));
      assertThat(ByteBufUtil.hexDump(ours)).as("v5=%s", v5).isEqualTo(ByteBufUtil.hexDump(netty));
    }
  }

  @Test
  void qos0PublishHasNoPacketIdAndLargePayloadsGetALongerLength() {
    for (boolean v5 : new boolean[] {false, true}) {
      PublishFrame f = new PublishFrame("a", 0, 70_000, v5);
      assertThat(f.length()).isEqualTo(1 + 3 + 2 + 1 + (v5 ? 1 : 0) + 70_000);
      ByteBuf out = Unpooled.buffer();
      f.write(out, 1, 1L, 2L, 0);
      List<MqttMessage> ms = decode(MqttFrames.connect(ALLOC, "c", v5 ? 5 : 4, 0), out);
      MqttPublishMessage p = (MqttPublishMessage) ms.get(1);
      assertThat(p.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
      assertThat(p.variableHeader().packetId()).isEqualTo(-1);
      assertThat(p.payload().readableBytes()).isEqualTo(70_000);
    }
  }
}
