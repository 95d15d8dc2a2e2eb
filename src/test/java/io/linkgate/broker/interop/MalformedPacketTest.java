package io.linkgate.broker.interop;

import io.linkgate.broker.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.linkgate.broker.interop.RawMqtt.bin;
import static io.linkgate.broker.interop.RawMqtt.bytes;
import static io.linkgate.broker.interop.RawMqtt.concat;
import static io.linkgate.broker.interop.RawMqtt.noProps;
import static io.linkgate.broker.interop.RawMqtt.packet;
import static io.linkgate.broker.interop.RawMqtt.props;
import static io.linkgate.broker.interop.RawMqtt.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-built bad input on raw TCP sockets: the broker must close the offending connection (after a DISCONNECT with
 * the right reason code where MQTT 5 lets it send one) while a well-behaved Paho client on the side keeps working.
 * Versions are protocol levels: 4 = MQTT 3.1.1, 5 = MQTT 5.
 */
@Tag("slow")
class MalformedPacketTest {
  static final int MAX_PACKET_SIZE = 1024;
  static final int MAX_TOPIC_ALIAS = 10;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
  private static final int MALFORMED_PACKET = 0x81;
  private static final int PROTOCOL_ERROR = 0x82;
  private static final int TOPIC_NAME_INVALID = 0x90;
  private static final int PACKET_TOO_LARGE = 0x95;
  private static final AtomicInteger SIDE_CLIENTS = new AtomicInteger();

  static BrokerFixture broker;
  private SideTraffic side;
  private RawMqtt raw;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(TestLimits.defaultsWith(Map.of(
      "maxPacketSize", MAX_PACKET_SIZE,
      "maxTopicAlias", MAX_TOPIC_ALIAS,
      "connectTimeoutSeconds", 1)));
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @BeforeEach
  void sideClient() throws Exception {
    side = new SideTraffic(broker.tcpUri(), "side-" + SIDE_CLIENTS.incrementAndGet());
    raw = new RawMqtt(broker.tcpPort());
  }

  @AfterEach
  void sideClientIsUnharmed() throws Exception {
    try {
      raw.close();
      side.assertHealthy();
    } finally {
      side.close();
    }
  }

  // ---- expectations ----

  /** MQTT 5: one DISCONNECT with one of the reason codes, then close. MQTT 3.1.1: close, nothing sent. */
  private void assertRejected(int version, int... v5ReasonCodes) throws IOException {
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    if (version == 5) {
      assertThat(closed.packets()).as("packets before close").hasSize(1);
      RawMqtt.Packet disconnect = closed.packets().get(0);
      assertThat(disconnect.type()).as("DISCONNECT expected, got %s", disconnect).isEqualTo(RawMqtt.DISCONNECT);
      assertThat(disconnect.reasonCode()).as("DISCONNECT reason code, packet %s", disconnect)
        .isIn(Arrays.stream(v5ReasonCodes).boxed().toArray());
    } else {
      assertThat(closed.packets()).as("packets before close").isEmpty();
    }
  }

  /** Closed; MQTT 5 may say why first (DISCONNECT is optional there), MQTT 3.1.1 sends nothing. */
  private void assertClosedMaybeWithDisconnect(int version, int v5ReasonCode) throws IOException {
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    if (version == 5 && !closed.packets().isEmpty()) {
      assertThat(closed.packets()).hasSize(1);
      assertThat(closed.packets().get(0).type()).isEqualTo(RawMqtt.DISCONNECT);
      assertThat(closed.packets().get(0).reasonCode()).isEqualTo(v5ReasonCode);
    } else {
      assertThat(closed.packets()).as("packets before close").isEmpty();
    }
  }

  private static byte[] publishWithRawTopic(int version, byte[] topic, int qos) {
    return packet(0x30 | qos << 1, bin(topic), qos > 0 ? bytes(0, 1) : new byte[0], noProps(version),
      "x".getBytes(StandardCharsets.UTF_8));
  }

  // ---- framing ----

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void remainingLengthOfFiveBytes(int version) throws Exception {
    raw.handshake(version, "bad-length-" + version);
    raw.sendQuietly(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F));
    assertRejected(version, MALFORMED_PACKET);
  }

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void packetLargerThanTheMaximumPacketSize(int version) throws Exception {
    raw.handshake(version, "too-large-" + version);
    raw.sendQuietly(RawMqtt.publish(version, "big/x", 1, 1, "x".repeat(4 * MAX_PACKET_SIZE)));
    assertRejected(version, PACKET_TOO_LARGE);
  }

  /** Total size (fixed header included, as MQTT 5 counts it) of exactly the maximum: accepted. */
  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void packetOfExactlyTheMaximumPacketSizeIsAccepted(int version) throws Exception {
    raw.handshake(version, "max-size-" + version);
    byte[] publish = publishOfTotalSize(version, MAX_PACKET_SIZE);
    raw.send(publish);
    RawMqtt.Packet ack = raw.read(Duration.ofSeconds(5));
    assertThat(ack.type()).as("PUBACK expected, got %s", ack).isEqualTo(RawMqtt.PUBACK);
  }

  /**
   * One byte over: the broker advertises Maximum Packet Size 1024 in its CONNACK, and MQTT 5 (§2.1.4, §3.1.2.11.4)
   * counts the whole packet, fixed header included, so this is a Packet Too Large error.
   */
  @Test
  void packetOneByteOverTheAdvertisedMaximumPacketSizeIsRejectedV5() throws Exception {
    raw.handshake(5, "max-size-plus-1");
    raw.sendQuietly(publishOfTotalSize(5, MAX_PACKET_SIZE + 1));
    assertRejected(5, PACKET_TOO_LARGE);
  }

  private static byte[] publishOfTotalSize(int version, int total) {
    int overhead = RawMqtt.publish(version, "max/x", 1, 1, "").length;
    byte[] p = RawMqtt.publish(version, "max/x", 1, 1, "x".repeat(total - overhead - 1));
    // the remaining length grows by one byte past 127: adjust so the total is exact
    int payload = total - overhead - 1 + (total - p.length);
    p = RawMqtt.publish(version, "max/x", 1, 1, "x".repeat(payload));
    assertThat(p).hasSize(total);
    return p;
  }

  /** A string whose length runs past the packet's end must be malformed, not swallow the packets that follow. */
  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void stringLengthBeyondTheRemainingLength(int version) throws Exception {
    raw.handshake(version, "string-overrun-" + version);
    // PUBLISH, remaining length 3: a topic of 100 bytes of which one is in the packet; then three PINGREQs
    raw.sendQuietly(bytes(0x30, 0x03, 0x00, 0x64, 0x61), bytes(0xC0, 0x00, 0xC0, 0x00, 0xC0, 0x00));
    assertRejected(version, MALFORMED_PACKET);
  }

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void halfSentPacketThenSilenceIsClosedByTheKeepAlive(int version) throws Exception {
    raw.send(RawMqtt.connect(version, "half-" + version, 1, true, null));
    assertThat(raw.read(Duration.ofSeconds(5)).reasonCode()).isZero();
    try (RawMqtt control = new RawMqtt(broker.tcpPort())) {
      control.send(RawMqtt.connect(version, "half-control-" + version, 1, true, null));
      assertThat(control.read(Duration.ofSeconds(5)).reasonCode()).isZero();
      raw.send(bytes(0x30, 0x10, 0x00, 0x03, 'a')); // 5 of 18 bytes, then nothing
      long start = System.nanoTime();
      Long closedAfter = null;
      while (closedAfter == null && System.nanoTime() - start < CLOSE_WAIT.toNanos()) {
        control.send(bytes(0xC0, 0x00)); // the control connection keeps its keep alive with PINGREQs
        assertThat(control.read(Duration.ofSeconds(2)).type()).isEqualTo(RawMqtt.PINGRESP);
        try {
          RawMqtt.Packet p = raw.readOrNull(Duration.ofMillis(250));
          if (p != null) {
            assertThat(version).as("only MQTT 5 may say why, got %s", p).isEqualTo(5);
            assertThat(p.type()).isEqualTo(RawMqtt.DISCONNECT);
            assertThat(p.reasonCode()).as("Keep Alive timeout").isEqualTo(0x8D);
          }
        } catch (EOFException | SocketException closed) {
          closedAfter = (System.nanoTime() - start) / 1_000_000;
        }
      }
      assertThat(closedAfter).as("closed after 1.5 × keep alive of silence").isNotNull();
      assertThat(closedAfter).isLessThan(3000L);
    }
  }

  @Test
  void halfSentConnectThenSilenceIsClosedByTheConnectTimeout() throws Exception {
    byte[] connect = RawMqtt.connect(4, "half-connect");
    raw.send(Arrays.copyOf(connect, 6));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).isEmpty();
    assertThat(closed.afterMillis()).as("connect timeout of 1 s").isLessThan(3000L);
  }

  // ---- fixed header flags ----

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void subscribeWithReservedFlagBits(int version) throws Exception {
    raw.handshake(version, "sub-flags-" + version);
    raw.sendQuietly(packet(0x80, bytes(0, 1), noProps(version), str("a/b"), bytes(1)));
    assertRejected(version, MALFORMED_PACKET);
  }

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void publishWithQos3(int version) throws Exception {
    raw.handshake(version, "qos3-" + version);
    raw.sendQuietly(packet(0x36, str("a/b"), bytes(0, 1), noProps(version), bytes('x')));
    assertRejected(version, MALFORMED_PACKET);
  }

  /** [MQTT-3.3.1-2] The DUP flag MUST be 0 for QoS 0 messages. */
  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void qos0PublishWithDupFlag(int version) throws Exception {
    raw.handshake(version, "dup0-" + version);
    raw.sendQuietly(packet(0x38, str("a/b"), noProps(version), bytes('x')));
    assertRejected(version, MALFORMED_PACKET, PROTOCOL_ERROR);
  }

  // ---- topics ----

  @Test
  void invalidUtf8InPublishTopicV311() throws Exception {
    raw.handshake(4, "utf8-4");
    raw.sendQuietly(publishWithRawTopic(4, bytes('a', '/', 0xC3, 0x28), 0));
    assertRejected(4);
  }

  /** MQTT 5 §1.5.4: ill-formed UTF-8 makes the packet a Malformed Packet (0x81), not a Topic Name Invalid (0x90). */
  @Test
  void invalidUtf8InPublishTopicV5IsAMalformedPacket() throws Exception {
    raw.handshake(5, "utf8-5");
    raw.sendQuietly(publishWithRawTopic(5, bytes('a', '/', 0xC3, 0x28), 0));
    assertRejected(5, MALFORMED_PACKET);
  }

  /** U+FFFD correctly encoded (EF BF BD) is an ordinary character and a valid topic. */
  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void wellFormedReplacementCharacterInTopicIsAccepted(int version) throws Exception {
    raw.handshake(version, "fffd-" + version);
    raw.send(publishWithRawTopic(version, bytes('a', '/', 0xEF, 0xBF, 0xBD), 1));
    RawMqtt.Packet ack;
    try {
      ack = raw.read(Duration.ofSeconds(3));
    } catch (EOFException closed) {
      throw new AssertionError("connection closed instead of a PUBACK", closed);
    }
    assertThat(ack.type()).as("PUBACK expected, got %s", ack).isEqualTo(RawMqtt.PUBACK);
  }

  @ParameterizedTest(name = "MQTT level {0}, topic {1}")
  @CsvSource({"4,a/+", "4,a/#", "4,#", "5,a/+", "5,a/#", "5,+"})
  void wildcardInPublishTopic(int version, String topic) throws Exception {
    raw.handshake(version, "wildcard-" + version);
    raw.sendQuietly(RawMqtt.publish(version, topic, 0, 0, "x"));
    // Malformed Packet and Topic Name Invalid are both fair answers
    assertRejected(version, MALFORMED_PACKET, TOPIC_NAME_INVALID);
  }

  @ParameterizedTest(name = "alias {0}, topic ''{1}'' -> 0x{2}")
  @CsvSource({"0,a/b,94", "11,a/b,94", "3,'',82"})
  void badTopicAliasesV5(int alias, String topic, String reasonHex) throws Exception {
    raw.handshake(5, "alias-" + alias);
    raw.sendQuietly(packet(0x30, str(topic), props(bytes(0x23, alias >> 8, alias)), bytes('x')));
    assertRejected(5, Integer.parseInt(reasonHex, 16));
  }

  @Test
  void publishWithEmptyTopicV311() throws Exception {
    raw.handshake(4, "empty-topic");
    raw.sendQuietly(RawMqtt.publish(4, "", 0, 0, "x"));
    assertRejected(4);
  }

  // ---- SUBSCRIBE payload ----

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void subscribeWithQos3ClosesTheConnection(int version) throws Exception {
    raw.handshake(version, "sub-qos3-" + version);
    raw.sendQuietly(RawMqtt.subscribe(version, 1, "a/b", 3));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).noneMatch(p -> p.type() == RawMqtt.SUBACK);
  }

  /** A decoder failure that is not a netty DecoderException is reported as 0x80 instead of Malformed Packet. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"SUBSCRIBE with QoS 3,82090001000003612f6203", "reserved packet type 0,0000"})
  void malformedPacketsGetReasonCode0x81V5(String what, String hex) throws Exception {
    raw.handshake(5, "malformed-v5");
    raw.sendQuietly(java.util.HexFormat.of().parseHex(hex));
    assertRejected(5, MALFORMED_PACKET);
  }

  /** [MQTT-3.8.3-3] (3.1.1) / [MQTT-3.8.3-2] (5): a SUBSCRIBE must carry at least one topic filter. */
  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void subscribeWithoutTopicFilters(int version) throws Exception {
    raw.handshake(version, "sub-empty-" + version);
    raw.sendQuietly(packet(0x82, bytes(0, 1), noProps(version)));
    assertRejected(version, PROTOCOL_ERROR, MALFORMED_PACKET);
  }

  /** 3.1.1 [MQTT-3-8.3-4] / 5 [MQTT-3.8.3-5]: reserved bits of the subscription options must be 0. */
  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void subscribeOptionsWithReservedBits(int version) throws Exception {
    raw.handshake(version, "sub-reserved-" + version);
    raw.sendQuietly(RawMqtt.subscribe(version, 1, "a/b", 0xC1));
    assertRejected(version, MALFORMED_PACKET);
  }

  // ---- CONNECT ----

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void publishBeforeConnect(int version) throws Exception {
    raw.sendQuietly(RawMqtt.publish(version, "a/b", 0, 0, "x"));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).as("nothing, not even a CONNACK").isEmpty();
  }

  @ParameterizedTest(name = "MQTT level {0}")
  @ValueSource(ints = {4, 5})
  void secondConnect(int version) throws Exception {
    raw.handshake(version, "twice-" + version);
    raw.sendQuietly(RawMqtt.connect(version, "twice-again-" + version));
    assertClosedMaybeWithDisconnect(version, PROTOCOL_ERROR);
  }

  /**
   * An unknown protocol level gets the 3.1.1 refusal (CONNACK 0x01, unacceptable protocol version) in 3.1.1 format:
   * a client of an unknown version cannot be expected to read an MQTT 5 CONNACK (whose 0x84 MQTT 5 only allows).
   */
  @ParameterizedTest(name = "protocol level {0}")
  @ValueSource(ints = {0, 2, 3, 6, 255})
  void unsupportedProtocolLevel(int level) throws Exception {
    byte[] variable = concat(str("MQTT"), bytes(level, 0x02, 0, 60));
    raw.sendQuietly(packet(0x10, variable, str("level-" + level)));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).hasSize(1);
    assertThat(closed.packets().get(0).header()).isEqualTo(0x20);
    assertThat(closed.packets().get(0).body()).containsExactly(0x00, 0x01);
  }

  @Test
  void connectWithReservedFlagSet() throws Exception {
    raw.sendQuietly(packet(0x10, str("MQTT"), bytes(4, 0x03, 0, 60), str("reserved-flag")));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).as("[MQTT-3.1.2-3]: closed without CONNACK").isEmpty();
  }

  @Test
  void emptyClientIdWithoutCleanSessionV311IsRejected() throws Exception {
    raw.sendQuietly(RawMqtt.connect(4, "", 60, false, null));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).hasSize(1);
    assertThat(closed.packets().get(0).header()).isEqualTo(0x20);
    assertThat(closed.packets().get(0).body()).as("identifier rejected").containsExactly(0x00, 0x02);
  }

  /** MQTT 5 §3.1.2.11.3: a Receive Maximum of 0 is a Protocol Error. */
  @Test
  void receiveMaximumZeroV5() throws Exception {
    raw.sendQuietly(RawMqtt.connect(5, "rm-zero", 60, true, props(bytes(0x21, 0x00, 0x00))));
    RawMqtt.Closed closed = raw.awaitClose(CLOSE_WAIT);
    assertThat(closed.packets()).allSatisfy(p -> {
      assertThat(p.type()).as("at most a refusing CONNACK, got %s", p).isEqualTo(RawMqtt.CONNACK);
      assertThat(p.reasonCode()).isEqualTo(PROTOCOL_ERROR);
    });
  }
}
