package io.linkgate.broker.interop;

import io.linkgate.broker.Broker;
import io.linkgate.broker.BrokerFixture;
import io.linkgate.broker.BrokerMetrics.DropReason;
import io.linkgate.testutil.PahoV5Inbox;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 §3.1.2.25: the server never sends a packet larger than the client's Maximum Packet Size, counted on the
 * packet as it goes out (with the subscription identifiers and topic alias the server adds); what fits is
 * delivered, what does not is dropped (counted as {@code too_large}) as if it had been delivered, QoS 1/2 included.
 * The sizes below are worked out by hand from MQTT 5 §3.3: fixed header 2 bytes (remaining length < 128), topic
 * 2 + length, packet id 2 (QoS > 0), property length 1, then the properties, then the payload.
 */
@Tag("slow")
@Timeout(120)
class ClientMaximumPacketSizeTest {
  private static final String LIMIT_64 = "maximum-packet-size";
  private BrokerFixture broker;
  private MosquittoV5Clients mosquitto;

  @BeforeEach
  void start() throws Exception {
    broker = new BrokerFixture();
    mosquitto = new MosquittoV5Clients(broker.tcpPort());
  }

  @AfterEach
  void stop() throws Exception {
    mosquitto.close();
    broker.close();
  }

  private static String payload(int bytes, char c) {
    return String.valueOf(c).repeat(bytes);
  }

  private void awaitSubscriptions(int n) throws Exception {
    MosquittoV5Clients.awaitBroker(broker, "subscription count", Broker::subscriptionCount, n);
  }

  private long tooLarge() throws Exception {
    return broker.onBroker(b -> b.metrics().dropped(DropReason.TOO_LARGE));
  }

  @Test
  void aPacketThatFitsIsDelivered() throws Exception {
    ExternalProcess sub = mosquitto.sub("-t", "TopicA", "-D", "connect", LIMIT_64, "64", "-F", "%t %l", "-C", "1");
    awaitSubscriptions(1);
    mosquitto.pub("-t", "TopicA", "-m", payload(32, 'x')); // 2 + 8 + 1 + 32 = 43 bytes
    assertThat(sub.nextLines(1, MosquittoV5Clients.WAIT)).containsExactly("TopicA 32");
    assertThat(tooLarge()).isZero();
  }

  @Test
  void theSubscriptionIdentifierTheServerAddsIsCounted() throws Exception {
    ExternalProcess sub = mosquitto.sub("-t", "TopicA", "-D", "connect", LIMIT_64, "64",
      "-D", "subscribe", "subscription-identifier", "5", "-F", "%t %l %S", "-C", "2");
    awaitSubscriptions(1);
    // 2 + 8 + 1 + 2 (identifier 5) + payload: 51 bytes make 64, 52 make 65
    mosquitto.pubLines(List.of(payload(51, 'a'), payload(52, 'b'), "sentinel"), "-t", "TopicA");
    assertThat(sub.nextLines(2, MosquittoV5Clients.WAIT)).containsExactly("TopicA 51 5", "TopicA 8 5");
    assertThat(tooLarge()).isEqualTo(1);
  }

  @Test
  void thePublishersPropertiesAreCounted() throws Exception {
    ExternalProcess sub = mosquitto.sub("-t", "TopicA", "-D", "connect", LIMIT_64, "64", "-F", "%t %l %P", "-C", "2");
    awaitSubscriptions(1);
    // 2 + 8 + 1 + 7 (user property k:v) + payload: 46 bytes make 64, 47 make 65
    mosquitto.pubLines(List.of(payload(46, 'a'), payload(47, 'b'), "sentinel"), "-t", "TopicA",
      "-D", "publish", "user-property", "k", "v");
    assertThat(sub.nextLines(2, MosquittoV5Clients.WAIT)).containsExactly("TopicA 46 k:v", "TopicA 8 k:v");
    assertThat(tooLarge()).isEqualTo(1);
  }

  /** Paho v5 here: libmosquitto 2.0 refuses topic aliases from the server (an empty topic is an error to it). */
  @Test
  void theTopicAliasIsCountedAndOnlyAssignedWhenThePacketIsSent() throws Exception {
    try (PahoV5Clients pahos = new PahoV5Clients()) {
      PahoV5Inbox inbox = PahoV5Clients.inbox();
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setMaximumPacketSize(64L);
      o.setTopicAliasMaximum(10);
      MqttAsyncClient sub = pahos.connect(broker.tcpUri(), "mps-alias", inbox, o);
      PahoV5Clients.subscribe(sub, PahoV5Clients.filter("TopicA", 0), 0);
      // first use of the alias: 2 + 8 + 1 + 3 (alias) + payload, so 51 bytes make 65 (dropped, and the alias is not
      // assigned: else the next packet would carry only the alias, unknown to the client) and 50 make 64; then the
      // alias alone: 2 + 2 + 1 + 3 + payload, so 57 bytes make 65 and 56 make 64
      mosquitto.pubLines(List.of(payload(51, 'a'), payload(50, 'b'), payload(57, 'c'), payload(56, 'd'), "sentinel"),
        "-t", "TopicA");
      // Paho hands on the topic as it came on the wire: empty when the alias stood for it
      for (String expected : List.of("TopicA 1 " + payload(50, 'b'), " 1 " + payload(56, 'd'), " 1 sentinel")) {
        PahoV5Inbox.Received r = inbox.next();
        assertThat(r.topic() + " " + r.message().getProperties().getTopicAlias() + " " + r.payload())
          .isEqualTo(expected);
      }
      assertThat(tooLarge()).isEqualTo(2);
    }
  }

  /** Oversized QoS 1/2 messages count as delivered: more of them than the client's window do not stall it. */
  @ParameterizedTest
  @ValueSource(strings = {"1", "2"})
  void droppedMessagesFreeTheirInflightSlot(String qos) throws Exception {
    ExternalProcess sub = mosquitto.sub("-t", "TopicA", "-q", qos, "-D", "connect", LIMIT_64, "64",
      "-D", "connect", "receive-maximum", "2", "-F", "%t %q %p", "-C", "1");
    awaitSubscriptions(1);
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lines.add(payload(100, (char) ('a' + i)));
    }
    lines.add(payload(51, 'z')); // 2 + 8 + 2 (packet id) + 1 + 51 = 64 bytes
    mosquitto.pubLines(lines, "-t", "TopicA", "-q", qos);
    assertThat(sub.nextLines(1, MosquittoV5Clients.WAIT)).containsExactly("TopicA " + qos + " " + payload(51, 'z'));
    assertThat(tooLarge()).isEqualTo(5);
  }
}
