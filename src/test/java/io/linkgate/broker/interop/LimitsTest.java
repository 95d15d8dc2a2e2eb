package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerFixture;
import io.linkgate.broker.BrokerMetrics.Limit;
import io.linkgate.broker.ListenerSpec;
import io.linkgate.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.linkgate.broker.interop.RawMqtt.bytes;
import static io.linkgate.broker.interop.RawMqtt.packet;
import static io.linkgate.broker.interop.RawMqtt.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each configurable limit, exceeded over a real socket: the reason code MQTT 5 gets (and what MQTT 3.1.1 gets), and
 * the {@code linkgate.limits.exceeded{limit=...}} count.
 */
@Timeout(30)
class LimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private BrokerFixture broker;
  private final List<RawMqtt> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (RawMqtt s : sockets) {
      s.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private void start(Map<String, Object> limits, ListenerSpec tcp) throws Exception {
    broker = new BrokerFixture(TestLimits.defaultsWith(limits), List.of(tcp));
  }

  private void start(Map<String, Object> limits) throws Exception {
    start(limits, new ListenerSpec("tcp:default", ListenerSpec.Type.TCP, "127.0.0.1", 0, 0));
  }

  private RawMqtt open() throws IOException {
    RawMqtt raw = new RawMqtt(broker.tcpPort());
    sockets.add(raw);
    return raw;
  }

  private long exceeded(Limit limit) throws Exception {
    return broker.onBroker(b -> b.metrics().limitExceeded(limit));
  }

  private int connackCode(RawMqtt raw, int version, String clientId) throws IOException {
    raw.send(RawMqtt.connect(version, clientId));
    RawMqtt.Closed closed = raw.awaitClose(WAIT);
    assertThat(closed.packets()).hasSize(1);
    assertThat(closed.packets().get(0).type()).isEqualTo(RawMqtt.CONNACK);
    return closed.packets().get(0).reasonCode();
  }

  @Test
  void maxConnectionsPerListener() throws Exception {
    start(Map.of(), new ListenerSpec("tcp:default", ListenerSpec.Type.TCP, "127.0.0.1", 0, 2));
    RawMqtt first = open();
    first.handshake(5, "c1");
    open().handshake(4, "c2");
    assertThat(connackCode(open(), 5, "c3")).as("v5: quota exceeded").isEqualTo(0x97);
    assertThat(connackCode(open(), 4, "c4")).as("3.1.1: server unavailable").isEqualTo(0x03);
    assertThat(exceeded(Limit.MAX_CONNECTIONS)).isEqualTo(2);
    first.close();
    Await.until("the broker saw the close", Await.DEFAULT, () -> broker.onBroker(b -> b.connectionCount()) == 1);
    open().handshake(5, "c5");
  }

  @Test
  void maxConnRatePerListener() throws Exception {
    start(Map.of(), new ListenerSpec("tcp:default", ListenerSpec.Type.TCP, "127.0.0.1", 0, 0, "/mqtt", 3, 60_000));
    for (int i = 0; i < 3; i++) {
      open().handshake(5, "r" + i);
    }
    assertThat(connackCode(open(), 5, "r3")).as("v5: connection rate exceeded").isEqualTo(0x9F);
    assertThat(connackCode(open(), 4, "r4")).isEqualTo(0x03);
    assertThat(exceeded(Limit.MAX_CONN_RATE)).isEqualTo(2);
  }

  @ParameterizedTest(name = "MQTT {0}")
  @ValueSource(ints = {4, 5})
  void maxSubscriptionsCountsFiltersOfTheSameSubscribe(int version) throws Exception {
    start(Map.of("maxSubscriptions", 2));
    RawMqtt raw = open();
    raw.handshake(version, "subs");
    byte[] props = version == 5 ? new byte[] {0} : new byte[0];
    raw.send(packet(0x82, bytes(0, 1), props, str("a"), bytes(1), str("b"), bytes(1), str("c"), bytes(1)));
    RawMqtt.Packet suback = raw.read(WAIT);
    byte[] body = suback.body();
    int codesAt = version == 5 ? 3 : 2;
    assertThat(body.length - codesAt).isEqualTo(3);
    assertThat(body[codesAt] & 0xFF).isEqualTo(1);
    assertThat(body[codesAt + 1] & 0xFF).isEqualTo(1);
    assertThat(body[codesAt + 2] & 0xFF).isEqualTo(version == 5 ? 0x97 : 0x80);
    // re-subscribing to an existing filter is not a new subscription
    raw.send(RawMqtt.subscribe(version, 2, "a", 0));
    RawMqtt.Packet again = raw.read(WAIT);
    assertThat(again.body()[again.body().length - 1] & 0xFF).isZero();
    assertThat(exceeded(Limit.MAX_SUBSCRIPTIONS)).isEqualTo(1);
  }

  @Test
  void maxTopicLevels() throws Exception {
    start(Map.of("maxTopicLevels", 3));
    RawMqtt sub = open();
    sub.handshake(5, "deep-sub");
    sub.send(RawMqtt.subscribe(5, 1, "a/b/c/d", 0));
    RawMqtt.Packet suback = sub.read(WAIT);
    assertThat(suback.body()[suback.body().length - 1] & 0xFF).as("topic filter invalid").isEqualTo(0x8F);
    RawMqtt pub = open();
    pub.handshake(5, "deep-pub");
    pub.send(RawMqtt.publish(5, "a/b/c/d", 1, 1, "x"));
    RawMqtt.Closed closed = pub.awaitClose(WAIT);
    assertThat(closed.packets().get(0).reasonCode()).as("topic name invalid").isEqualTo(0x90);
    assertThat(exceeded(Limit.MAX_TOPIC_LEVELS)).isEqualTo(2);
  }

  @Test
  void maxPacketSize() throws Exception {
    start(Map.of("maxPacketSize", 256));
    RawMqtt raw = open();
    raw.handshake(5, "big");
    raw.sendQuietly(RawMqtt.publish(5, "t", 0, 0, "x".repeat(300)));
    RawMqtt.Closed closed = raw.awaitClose(WAIT);
    assertThat(closed.packets()).isNotEmpty();
    assertThat(closed.packets().get(0).reasonCode()).isEqualTo(0x95);
    assertThat(exceeded(Limit.MAX_PACKET_SIZE)).isEqualTo(1);
  }

  @Test
  void maxClientIdLength() throws Exception {
    start(Map.of("maxClientIdLength", 8));
    assertThat(connackCode(open(), 5, "much-too-long")).isEqualTo(0x85);
    assertThat(connackCode(open(), 4, "much-too-long")).isEqualTo(0x02);
    assertThat(exceeded(Limit.MAX_CLIENTID_LEN)).isEqualTo(2);
  }

  @Test
  void inboundQos2BeyondTheReceiveMaximum() throws Exception {
    start(Map.of("maxInflight", 2, "maxAwaitingRel", 2));
    RawMqtt raw = open();
    RawMqtt.Packet connack = raw.handshake(5, "qos2");
    assertThat(connack.body().length).isGreaterThan(2);
    for (int id = 1; id <= 2; id++) {
      raw.send(RawMqtt.publish(5, "t", 2, id, "m"));
      assertThat(raw.read(WAIT).type()).isEqualTo(RawMqtt.PUBREC);
    }
    raw.send(RawMqtt.publish(5, "t", 2, 3, "m")); // no PUBREL yet: one more than Receive Maximum
    RawMqtt.Closed closed = raw.awaitClose(WAIT);
    assertThat(closed.packets().get(0).reasonCode()).as("receive maximum exceeded").isEqualTo(0x93);
    assertThat(exceeded(Limit.MAX_INFLIGHT)).isEqualTo(1);
  }

  @Test
  void maxMqueueLen() throws Exception {
    start(Map.of("maxMqueueLen", 2));
    RawMqtt sub = open();
    // a persistent session (3.1.1 clean session = false) that goes away with a subscription
    sub.send(RawMqtt.connect(4, "away", 60, false, null));
    assertThat(sub.read(WAIT).type()).isEqualTo(RawMqtt.CONNACK);
    sub.send(RawMqtt.subscribe(4, 1, "q/#", 1));
    sub.read(WAIT);
    sub.send(bytes(0xE0, 0));
    sub.awaitClose(WAIT);
    RawMqtt pub = open();
    pub.handshake(4, "pub");
    for (int id = 1; id <= 5; id++) {
      pub.send(RawMqtt.publish(4, "q/x", 1, id, "m" + id));
      assertThat(pub.read(WAIT).type()).isEqualTo(RawMqtt.PUBACK);
    }
    assertThat(exceeded(Limit.MAX_MQUEUE_LEN)).isEqualTo(3);
    RawMqtt back = open();
    back.send(RawMqtt.connect(4, "away", 60, false, null));
    back.read(WAIT);
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RawMqtt.Publish p = RawMqtt.Publish.parse(back.read(WAIT), 4);
      got.add(p.payload());
      back.send(RawMqtt.puback(p.packetId()));
    }
    assertThat(got).containsExactly("m4", "m5");
    back.assertSilentFor(Duration.ofMillis(300));
  }

}
