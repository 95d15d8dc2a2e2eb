package io.linkgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generator's in-place frame reader against frames encoded by an independent implementation (Netty's
 * {@link MqttEncoder}): one and several frames per read, frames cut at every byte, MQTT 3.1.1 and 5, QoS 0 and 1,
 * control packets, malformed input.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameReaderTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  /** What the sink saw, copied out of the buffer during the call. */
  static final class Recorder implements FrameReader.Sink {
    final List<String> events = new ArrayList<>();
    final List<byte[]> bodies = new ArrayList<>();

    @Override
    public void onPublish(int qos, int packetId, ByteBuf buf, int payloadIndex, int payloadLength) {
      byte[] p = new byte[payloadLength];
      buf.getBytes(payloadIndex, p);
      events.add("PUBLISH qos=" + qos + " id=" + packetId + " payload=" + new String(p, StandardCharsets.UTF_8));
      bodies.add(p);
    }

    @Override
    public void onPacket(int type, int flags, ByteBuf buf, int bodyIndex, int bodyLength) {
      byte[] b = new byte[bodyLength];
      buf.getBytes(bodyIndex, b);
      events.add("PACKET type=" + type + " flags=" + flags + " len=" + bodyLength);
      bodies.add(b);
    }
  }

  /** Encodes with Netty's encoder; for MQTT 5 a CONNECT goes first so the encoder knows the version. */
  static ByteBuf encode(boolean v5, MqttMessage... messages) {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
    if (v5) {
      ch.writeOutbound(MqttMessageBuilders.connect().clientId("c").protocolVersion(MqttVersion.MQTT_5).build());
      ((ByteBuf) ch.readOutbound()).release();
    }
    ByteBuf out = Unpooled.buffer();
    for (MqttMessage m : messages) {
      ch.writeOutbound(m);
      ByteBuf b;
      while ((b = ch.readOutbound()) != null) {
        out.writeBytes(b);
        b.release();
      }
    }
    ch.finishAndReleaseAll();
    return out;
  }

  static MqttMessage publish(MqttQoS qos, int id, String payload, MqttProperties props) {
    return MqttMessageBuilders.publish().topicName("bench/a/b").qos(qos).messageId(id).properties(props)
        .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8)).build();
  }

  static MqttProperties v5Props() {
    MqttProperties p = new MqttProperties();
    p.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 60));
    p.add(new MqttProperties.UserProperty("k", "v"));
    return p;
  }

  /** A QoS 0 PUBLISH, a QoS 1 PUBLISH with a 20 kB payload (3-byte remaining length), a PUBACK, a PINGRESP. */
  static ByteBuf mixedStream(boolean v5) {
    MqttProperties props = v5 ? v5Props() : MqttProperties.NO_PROPERTIES;
    return encode(v5,
        publish(MqttQoS.AT_MOST_ONCE, 0, "zero", props),
        publish(MqttQoS.AT_LEAST_ONCE, 4711, "x".repeat(20_000), props),
        MqttMessageBuilders.pubAck().packetId((short) 7).build(),
        MqttMessage.PINGRESP);
  }

  static List<String> expectedMixed() {
    return List.of(
        "PUBLISH qos=0 id=0 payload=zero",
        "PUBLISH qos=1 id=4711 payload=" + "x".repeat(20_000),
        "PACKET type=4 flags=0 len=2",
        "PACKET type=13 flags=0 len=0");
  }

  @Test
  void severalFramesInOneReadV311() {
    Recorder r = new Recorder();
    FrameReader reader = new FrameReader(false, 1 << 20, r);
    ByteBuf in = mixedStream(false);
    reader.read(ALLOC, in);
    assertThat(r.events).containsExactlyElementsOf(expectedMixed());
    assertThat(in.refCnt()).as("the read buffer is released").isZero();
    assertThat(reader.pendingBytes()).isZero();
    reader.release();
  }

  @Test
  void severalFramesInOneReadV5SkipsPublishProperties() {
    Recorder r = new Recorder();
    FrameReader reader = new FrameReader(true, 1 << 20, r);
    reader.read(ALLOC, mixedStream(true));
    assertThat(r.events).containsExactlyElementsOf(expectedMixed());
    reader.release();
  }

  @Test
  void framesCutAtEveryByteComeOutWhole() {
    for (boolean v5 : new boolean[] {false, true}) {
      ByteBuf whole = mixedStream(v5);
      int n = whole.readableBytes();
      // one byte per read
      Recorder r = new Recorder();
      FrameReader reader = new FrameReader(v5, 1 << 20, r);
      for (int i = 0; i < n; i++) {
        reader.read(ALLOC, whole.retainedSlice(i, 1));
      }
      assertThat(r.events).as("v5=%s, byte by byte", v5).containsExactlyElementsOf(expectedMixed());
      assertThat(reader.pendingBytes()).isZero();
      reader.release();
      // two reads, cut at every position
      for (int cut = 1; cut < n; cut += cut < 64 ? 1 : 997) {
        Recorder r2 = new Recorder();
        FrameReader reader2 = new FrameReader(v5, 1 << 20, r2);
        reader2.read(ALLOC, whole.retainedSlice(0, cut));
        reader2.read(ALLOC, whole.retainedSlice(cut, n - cut));
        assertThat(r2.events).as("v5=%s, cut at %d", v5, cut).containsExactlyElementsOf(expectedMixed());
        assertThat(reader2.pendingBytes()).isZero();
        reader2.release();
      }
      whole.release();
    }
  }

  @Test
  void partialFrameWaitsForTheRest() {
    Recorder r = new Recorder();
    FrameReader reader = new FrameReader(false, 1 << 20, r);
    ByteBuf whole = encode(false, publish(MqttQoS.AT_LEAST_ONCE, 9, "hello", MqttProperties.NO_PROPERTIES));
    int n = whole.readableBytes();
    reader.read(ALLOC, whole.retainedSlice(0, n - 1));
    assertThat(r.events).isEmpty();
    assertThat(reader.pendingBytes()).isEqualTo(n - 1);
    reader.read(ALLOC, whole.retainedSlice(n - 1, 1));
    assertThat(r.events).containsExactly("PUBLISH qos=1 id=9 payload=hello");
    whole.release();
    reader.release();
  }

  @Test
  void v5PubackReasonCodeAndConnackReceiveMaximum() {
    MqttProperties connackProps = new MqttProperties();
    connackProps.add(new MqttProperties.StringProperty(
        MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), "assigned"));
    connackProps.add(new MqttProperties.UserProperty("a", "b"));
    connackProps.add(new MqttProperties.IntegerProperty(
        MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), 20));
    MqttMessage connack = MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
        .properties(connackProps).build();
    MqttMessage refusedAck = MqttMessageBuilders.pubAck().packetId((short) 3).reasonCode((byte) 0x87).build();
    MqttProperties subackProps = new MqttProperties();
    subackProps.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(), "ok"));
    MqttMessage suback = MqttMessageBuilders.subAck().packetId((short) 1).addGrantedQos(MqttQoS.AT_LEAST_ONCE)
        .properties(subackProps).build();
    MqttProperties noReceiveMax = new MqttProperties();
    noReceiveMax.add(new MqttProperties.StringProperty(
        MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), "assigned"));
    noReceiveMax.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(), "r"));
    noReceiveMax.add(new MqttProperties.UserProperty("key", "value"));
    noReceiveMax.add(new MqttProperties.IntegerProperty(
        MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 10));
    noReceiveMax.add(new MqttProperties.IntegerProperty(
        MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 5));
    noReceiveMax.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
    MqttMessage connack2 = MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
        .properties(noReceiveMax).build();
    ByteBuf in = encode(true, connack, refusedAck, suback, connack2);
    List<int[]> ranges = new ArrayList<>();
    FrameReader probing = new FrameReader(true, 1 << 20, new FrameReader.Sink() {
      @Override
      public void onPublish(int qos, int packetId, ByteBuf buf, int payloadIndex, int payloadLength) {
      }

      @Override
      public void onPacket(int type, int flags, ByteBuf buf, int body, int length) {
        switch (type) {
          case MqttFrames.CONNACK:
            ranges.add(new int[] {type, MqttFrames.connackCode(buf, body, length),
                MqttFrames.receiveMaximum(buf, body, length)});
            break;
          case MqttFrames.PUBACK:
            ranges.add(new int[] {type, MqttFrames.packetId(buf, body), MqttFrames.pubackReason(buf, body, length)});
            break;
          case MqttFrames.SUBACK:
            ranges.add(new int[] {type, MqttFrames.packetId(buf, body), MqttFrames.subackCode(buf, body, length, true)});
            break;
          default:
            ranges.add(new int[] {type});
        }
      }
    });
    probing.read(ALLOC, in);
    assertThat(ranges).containsExactly(new int[] {2, 0, 20}, new int[] {4, 3, 0x87}, new int[] {9, 1, 1},
        new int[] {2, 0, -1});
    probing.release();
  }

  @Test
  void v311AcksCarryNoReasonAndNoReceiveMaximum() {
    ByteBuf in = encode(false,
        MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED).build(),
        MqttMessageBuilders.pubAck().packetId((short) 65535).build(),
        MqttMessageBuilders.subAck().packetId((short) 1).addGrantedQos(MqttQoS.FAILURE).build());
    List<Integer> seen = new ArrayList<>();
    FrameReader reader = new FrameReader(false, 1 << 20, new FrameReader.Sink() {
      @Override
      public void onPublish(int qos, int packetId, ByteBuf buf, int payloadIndex, int payloadLength) {
      }

      @Override
      public void onPacket(int type, int flags, ByteBuf buf, int body, int length) {
        if (type == MqttFrames.CONNACK) {
          seen.add(MqttFrames.connackCode(buf, body, length));
        } else if (type == MqttFrames.PUBACK) {
          seen.add(MqttFrames.packetId(buf, body));
          seen.add(MqttFrames.pubackReason(buf, body, length));
        } else if (type == MqttFrames.SUBACK) {
          seen.add(MqttFrames.subackCode(buf, body, length, false));
        }
      }
    });
    reader.read(ALLOC, in);
    assertThat(seen).containsExactly(5, 65535, 0, 0x80);
    reader.release();
  }

  @Test
  void oversizedOrMalformedFramesAreRefused() {
    FrameReader small = new FrameReader(false, 100, new Recorder());
    ByteBuf big = encode(false, publish(MqttQoS.AT_MOST_ONCE, 0, "y".repeat(200), MqttProperties.NO_PROPERTIES));
    assertThatThrownBy(() -> small.read(ALLOC, big)).isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("over the limit");
    assertThat(big.refCnt()).isZero();

    FrameReader reader = new FrameReader(false, 1 << 20, new Recorder());
    ByteBuf fiveByteLength = Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, 0x01});
    assertThatThrownBy(() -> reader.read(ALLOC, fiveByteLength)).isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("longer than 4 bytes");

    FrameReader qos3 = new FrameReader(false, 1 << 20, new Recorder());
    assertThatThrownBy(() -> qos3.read(ALLOC, Unpooled.wrappedBuffer(new byte[] {0x36, 0x02, 0x00, 0x00})))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("QoS 3");

    FrameReader truncatedTopic = new FrameReader(false, 1 << 20, new Recorder());
    assertThatThrownBy(() -> truncatedTopic.read(ALLOC, Unpooled.wrappedBuffer(new byte[] {0x30, 0x02, 0x00, 0x09})))
        .isInstanceOf(CorruptedFrameException.class);
  }

  @Test
  void publishFrameMatchesWhatTheReaderParses() {
    for (boolean v5 : new boolean[] {false, true}) {
      for (int qos = 0; qos <= 1; qos++) {
        PublishFrame f = new PublishFrame("bench/x/p2p", qos, 64, v5);
        ByteBuf out = Unpooled.buffer();
        f.write(out, 77, 123_456_789L, 42L, 1);
        f.write(out, 78, 5L, 43L, 2);
        assertThat(out.readableBytes()).isEqualTo(2 * f.length());
        Recorder r = new Recorder();
        FrameReader reader = new FrameReader(v5, 1 << 20, r);
        reader.read(ALLOC, out);
        assertThat(r.events).hasSize(2);
        assertThat(r.events.get(0)).startsWith("PUBLISH qos=" + qos + " id=" + (qos == 1 ? 77 : 0) + " ");
        ByteBuf p = Unpooled.wrappedBuffer(r.bodies.get(0));
        assertThat(p.readableBytes()).isEqualTo(64);
        assertThat(p.getLong(PublishFrame.SEND_NANOS)).isEqualTo(123_456_789L);
        assertThat(p.getLong(PublishFrame.SEQ)).isEqualTo(42L);
        assertThat(p.getByte(PublishFrame.FLAG)).isEqualTo((byte) 1);
        assertThat(Unpooled.wrappedBuffer(r.bodies.get(1)).getByte(PublishFrame.FLAG)).isEqualTo((byte) 2);
        reader.release();
      }
    }
  }

  @Test
  void writingAndParsingAllocateNothingPerMessage() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long[] sum = new long[2];
    FrameReader.Sink counting = new FrameReader.Sink() {
      @Override
      public void onPublish(int qos, int packetId, ByteBuf buf, int payloadIndex, int payloadLength) {
        sum[0] += packetId + buf.getLong(payloadIndex + PublishFrame.SEQ);
      }

      @Override
      public void onPacket(int type, int flags, ByteBuf buf, int bodyIndex, int bodyLength) {
        sum[1]++;
      }
    };
    PublishFrame f = new PublishFrame("bench/alloc", 1, 64, true);
    FrameReader reader = new FrameReader(true, 1 << 20, counting);
    // the generator's allocator (MqttLoad sets it on its bootstrap)
    ByteBufAllocator pooled = io.netty.buffer.PooledByteBufAllocator.DEFAULT;
    ByteBuf buf = pooled.directBuffer(100 * f.length() + 100 * MqttFrames.PUBACK_BYTES);
    ByteBuf tail = pooled.directBuffer(16);
    int rounds = 4000;
    long before = 0;
    for (int round = 0; round < 2 * rounds; round++) {
      if (round == rounds) {
        before = threads.getThreadAllocatedBytes(self); // the first half warms up (class loading, JIT)
      }
      buf.clear();
      for (int i = 0; i < 100; i++) {
        f.write(buf, i + 1, System.nanoTime(), round, 1);
        MqttFrames.writePuback(buf, i + 1);
      }
      // hand over the tail of a frame separately, as a read cut mid-frame would
      int cut = buf.writerIndex() - 7;
      tail.clear().writeBytes(buf, cut, 7);
      buf.writerIndex(cut);
      reader.read(pooled, buf.retain()); // read() releases what it gets: both stay alive
      reader.read(pooled, tail.retain());
    }
    long allocated = threads.getThreadAllocatedBytes(self) - before;
    buf.release();
    tail.release();
    reader.release();
    assertThat(sum[1]).isEqualTo(2L * rounds * 100);
    assertThat(allocated).as("bytes allocated for %d frames", rounds * 200L).isLessThan(rounds * 200L / 10);
  }
}
