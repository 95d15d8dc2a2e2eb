package io.linkgate.broker.interop;

import io.linkgate.Linkgate;
import io.linkgate.broker.BrokerMetrics;
import io.linkgate.config.ConfigLoader;
import io.linkgate.etf.Binary;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ForwardedMessage;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.MessageProperties;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import static io.linkgate.broker.interop.RawMqtt.bin;
import static io.linkgate.broker.interop.RawMqtt.bytes;
import static io.linkgate.broker.interop.RawMqtt.packet;
import static io.linkgate.broker.interop.RawMqtt.props;
import static io.linkgate.broker.interop.RawMqtt.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The point of the security issue: with the default rules, a client that is not a cluster-link client cannot
 * publish to {@code $LINK/} — neither a forged route operation nor a forged message of another cluster — and the
 * attempt is refused and counted. Each test also sends the same bytes from a client the rules do allow, so it
 * proves that the forgery would have worked without authorization.
 */
@Timeout(60)
class AclLinkSpoofTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  /** Cluster "a" with a link to "b" (not running): a's route sync accepts $LINK traffic from b's link clients. */
  private Linkgate startA(JsonObject authorization) throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "a", "b").link("a", "b", "t/#");
    JsonObject json = clusters.configJson("a");
    if (authorization != null) {
      json.put("authorization", authorization);
    }
    return clusters.start("a", ConfigLoader.fromJson(json));
  }

  private static long counter(Linkgate node, ToLongFunction<BrokerMetrics> read) throws Exception {
    return node.gateway().broker().onBroker(b -> read.applyAsLong(b.metrics()))
      .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static byte[] forgedMessage(String topic, String text) {
    return new ForwardedMessage(ForwardedMessage.newId(), 1, "someone-in-b", false, false, topic,
      Binary.of(text.getBytes(StandardCharsets.UTF_8)), System.currentTimeMillis(), MessageProperties.EMPTY).encode();
  }

  /** A v5 QoS 1 PUBLISH with binary payload and optional Response-Topic / Correlation-Data. */
  private static byte[] publishV5(String topic, int packetId, byte[] payload, String responseTopic) {
    byte[] properties = responseTopic == null ? props()
      : props(bytes(0x08), str(responseTopic), bytes(0x09), bin(new byte[] {1, 2, 3}));
    return packet(0x32, str(topic), bytes(packetId >> 8, packetId), properties, payload);
  }

  private static int pubackReason(RawMqtt.Packet p) {
    assertThat(p.type()).as("PUBACK expected, got %s", p).isEqualTo(RawMqtt.PUBACK);
    return p.body().length > 2 ? p.body()[2] & 0xFF : 0;
  }

  @Test
  void forgedMessageFromAnOrdinaryClientIsRefusedAndNeverDelivered() throws Exception {
    Linkgate a = startA(null);
    int port = clusters.port("a");
    try (RawMqtt subscriber = new RawMqtt(port); RawMqtt mallory = new RawMqtt(port);
         RawMqtt linkClient = new RawMqtt(port)) {
      subscriber.handshake(5, "subscriber");
      subscriber.send(RawMqtt.subscribe(5, 1, "t/#", 1));
      assertThat(subscriber.read(WAIT).type()).isEqualTo(RawMqtt.SUBACK);

      mallory.handshake(5, "mallory");
      mallory.send(publishV5(LinkTopics.msg("b"), 7, forgedMessage("t/forged", "spoofed"), null));
      assertThat(pubackReason(mallory.read(WAIT))).isEqualTo(0x87);
      subscriber.assertSilentFor(Duration.ofMillis(500));
      assertThat(counter(a, BrokerMetrics::linkPublishDenied)).isEqualTo(1);
      assertThat(counter(a, BrokerMetrics::publishDenied)).isEqualTo(1);
      assertThat(clusters.inbound("a", "b").received()).isZero();

      // the same bytes from b's message-forwarding client id are accepted: the payload was a real forgery
      linkClient.handshake(5, "b:msg:0a1b2c3d:0");
      linkClient.send(publishV5(LinkTopics.msg("b"), 8, forgedMessage("t/genuine", "hello"), null));
      assertThat(pubackReason(linkClient.read(WAIT))).isEqualTo(0x00);
      RawMqtt.Publish delivered = RawMqtt.Publish.parse(subscriber.read(WAIT), 5);
      assertThat(delivered.topic()).isEqualTo("t/genuine");
      assertThat(counter(a, BrokerMetrics::linkPublishDenied)).isEqualTo(1);
    }
  }

  @Test
  void forgedRouteHandshakeFromAnOrdinaryClientIsRefusedAndCreatesNoActor() throws Exception {
    Linkgate a = startA(null);
    int port = clusters.port("a");
    byte[] init = ActorInit.of("b@10.0.0.1", 1, "a").encode();
    try (RawMqtt mallory = new RawMqtt(port); RawMqtt linkClient = new RawMqtt(port)) {
      mallory.handshake(5, "mallory");
      mallory.send(publishV5(LinkTopics.route("b"), 1, init, LinkTopics.resp("b", "b@10.0.0.1")));
      assertThat(pubackReason(mallory.read(WAIT))).isEqualTo(0x87);
      assertThat(clusters.inbound("a", "b").actors()).isZero();
      assertThat(counter(a, BrokerMetrics::linkPublishDenied)).isEqualTo(1);

      // a subscription to the link's response topics is refused too
      mallory.send(RawMqtt.subscribe(5, 2, LinkTopics.RESP_PREFIX + "#", 1));
      RawMqtt.Packet suback = mallory.read(WAIT);
      assertThat(suback.type()).isEqualTo(RawMqtt.SUBACK);
      assertThat(suback.body()[suback.body().length - 1] & 0xFF).isEqualTo(0x87);

      linkClient.handshake(5, "b:routesync:0a1b2c3d");
      linkClient.send(publishV5(LinkTopics.route("b"), 1, init, LinkTopics.resp("b", "b@10.0.0.1")));
      assertThat(pubackReason(linkClient.read(WAIT))).isLessThan(0x80);
      assertThat(clusters.inbound("a", "b").actors()).isEqualTo(1);
    }
  }

  @Test
  void mqtt311ForgeryIsAcknowledgedButDropped() throws Exception {
    Linkgate a = startA(null);
    int port = clusters.port("a");
    try (RawMqtt subscriber = new RawMqtt(port); RawMqtt mallory = new RawMqtt(port)) {
      subscriber.handshake(5, "subscriber");
      subscriber.send(RawMqtt.subscribe(5, 1, "t/#", 1));
      subscriber.read(WAIT);
      mallory.handshake(4, "mallory");
      mallory.send(packet(0x32, str(LinkTopics.msg("b")), bytes(0, 9), forgedMessage("t/forged", "x")));
      RawMqtt.Packet ack = mallory.read(WAIT);
      assertThat(ack.type()).isEqualTo(RawMqtt.PUBACK);
      subscriber.assertSilentFor(Duration.ofMillis(500));
      assertThat(counter(a, BrokerMetrics::linkPublishDenied)).isEqualTo(1);
    }
  }

  @Test
  void denyActionDisconnectClosesTheConnectionWith0x87() throws Exception {
    Linkgate a = startA(new JsonObject().put("deny_action", "disconnect"));
    try (RawMqtt mallory = new RawMqtt(clusters.port("a"))) {
      mallory.handshake(5, "mallory");
      mallory.send(publishV5(LinkTopics.msg("b"), 3, forgedMessage("t/x", "x"), null));
      RawMqtt.Closed closed = mallory.awaitClose(WAIT);
      assertThat(closed.packets()).hasSize(1);
      assertThat(closed.packets().get(0).type()).isEqualTo(RawMqtt.DISCONNECT);
      assertThat(closed.packets().get(0).reasonCode()).isEqualTo(0x87);
      assertThat(counter(a, BrokerMetrics::linkPublishDenied)).isEqualTo(1);
    }
  }

  @Test
  void sysSubscriptionsAreOnlyForMonitors() throws Exception {
    Linkgate a = startA(null);
    int port = clusters.port("a");
    // 127.0.0.2 is this host too, but not the monitor address the default rules name
    try (RawMqtt remote = new RawMqtt(port, "127.0.0.2"); RawMqtt local = new RawMqtt(port)) {
      remote.handshake(5, "remote");
      int[] expected = {0x87, 0x87, 0x87, 0x01, 0x87};
      String[] filters = {"$SYS/#", "#", "$share/g/#", "a/#", "$SYS/brokers"};
      for (int i = 0; i < filters.length; i++) {
        remote.send(RawMqtt.subscribe(5, i + 1, filters[i], 1));
        RawMqtt.Packet suback = remote.read(WAIT);
        assertThat(suback.body()[suback.body().length - 1] & 0xFF).as(filters[i]).isEqualTo(expected[i]);
      }
      assertThat(counter(a, BrokerMetrics::subscribeDenied)).isEqualTo(4);

      local.handshake(5, "local-monitor");
      local.send(RawMqtt.subscribe(5, 1, "$SYS/#", 1));
      RawMqtt.Packet suback = local.read(WAIT);
      assertThat(suback.body()[suback.body().length - 1] & 0xFF).isEqualTo(0x01);
    }
  }

  @Test
  void pahoV5ClientGetsNotAuthorizedOnLinkTopics() throws Exception {
    Linkgate a = startA(null);
    var client = new org.eclipse.paho.mqttv5.client.MqttClient(clusters.uri("a"), "paho-mallory",
      new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.connect();
    try {
      var message = new org.eclipse.paho.mqttv5.common.MqttMessage(forgedMessage("t/x", "x"));
      message.setQos(1);
      int reason;
      try {
        var token = client.getTopic(LinkTopics.msg("b")).publish(message);
        token.waitForCompletion(5000);
        reason = token.getReasonCodes()[0];
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        reason = e.getReasonCode();
      }
      assertThat(reason).isEqualTo(0x87);
      var subToken = client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
        new org.eclipse.paho.mqttv5.common.MqttSubscription("$LINK/#", 1)});
      assertThat(subToken.getReasonCodes()).containsExactly(0x87);
      assertThat(counter(a, BrokerMetrics::linkPublishDenied)).isEqualTo(1);
      assertThat(counter(a, BrokerMetrics::subscribeDenied)).isEqualTo(1);
    } finally {
      client.disconnect();
      client.close();
    }
  }
}
