package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.linkgate.broker.interop.RawMqtt.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A persistent session resumed after the connection dropped with messages unacknowledged: QoS 1/2 PUBLISHes come
 * again with DUP and their packet ids, in order; a QoS 2 message whose PUBREC was received comes back as PUBREL.
 */
class SessionResumeTest {
  static BrokerFixture broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  static byte[] v5SessionExpiry(int version) {
    return version == 5 ? RawMqtt.props(bytes(0x11, 0, 0, 0, 60)) : null;
  }

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void unacknowledgedMessagesAreResentWithDupOnResume(int version) throws Exception {
    String id = "resume-" + version;
    List<RawMqtt.Publish> first = new ArrayList<>();
    try (RawMqtt sub = new RawMqtt(broker.tcpPort())) {
      sub.send(RawMqtt.connect(version, id, 60, false, v5SessionExpiry(version)));
      assertThat(sub.read(Duration.ofSeconds(5)).reasonCode()).isZero();
      sub.send(RawMqtt.subscribe(version, 1, "resume/" + version + "/#", 2));
      assertThat(sub.read(Duration.ofSeconds(5)).type()).isEqualTo(RawMqtt.SUBACK);
      try (RawMqtt pub = new RawMqtt(broker.tcpPort())) {
        pub.handshake(version, id + "-pub");
        pub.send(RawMqtt.publish(version, "resume/" + version + "/a", 1, 1, "one"));
        pub.send(RawMqtt.publish(version, "resume/" + version + "/b", 1, 2, "two"));
        pub.send(RawMqtt.publish(version, "resume/" + version + "/c", 2, 3, "three"));
        for (int i = 0; i < 3; i++) {
          first.add(RawMqtt.Publish.parse(sub.read(Duration.ofSeconds(5)), version));
        }
      }
      // receive the QoS 2 message's PUBLISH and answer PUBREC, so only PUBCOMP is left open after the PUBREL
      RawMqtt.Publish qos2 = first.get(2);
      assertThat(qos2.qos()).isEqualTo(2);
      sub.send(bytes(0x50, 0x02, qos2.packetId() >> 8, qos2.packetId()));
      RawMqtt.Packet pubrel = sub.read(Duration.ofSeconds(5));
      assertThat(pubrel.type()).isEqualTo(6);
    } // dropped without DISCONNECT, nothing else acknowledged

    assertThat(first).extracting(RawMqtt.Publish::dup).containsOnly(false);
    try (RawMqtt back = new RawMqtt(broker.tcpPort())) {
      back.send(RawMqtt.connect(version, id, 60, false, v5SessionExpiry(version)));
      RawMqtt.Packet connack = back.read(Duration.ofSeconds(5));
      assertThat(connack.reasonCode()).isZero();
      assertThat(connack.body()[0] & 1).as("session present").isEqualTo(1);
      RawMqtt.Publish one = RawMqtt.Publish.parse(back.read(Duration.ofSeconds(5)), version);
      RawMqtt.Publish two = RawMqtt.Publish.parse(back.read(Duration.ofSeconds(5)), version);
      assertThat(List.of(one.payload(), two.payload())).containsExactly("one", "two");
      assertThat(one.dup()).isTrue();
      assertThat(two.dup()).isTrue();
      assertThat(one.packetId()).isEqualTo(first.get(0).packetId());
      assertThat(two.packetId()).isEqualTo(first.get(1).packetId());
      RawMqtt.Packet again = back.read(Duration.ofSeconds(5));
      assertThat(again.type()).as("PUBREL for the released QoS 2 message").isEqualTo(6);
      assertThat(again.packetId()).isEqualTo(first.get(2).packetId());
      back.send(RawMqtt.puback(one.packetId()), RawMqtt.puback(two.packetId()),
        bytes(0x70, 0x02, again.packetId() >> 8, again.packetId()));
      back.assertSilentFor(Duration.ofMillis(500)); // nothing further is owed
    }
  }
}
