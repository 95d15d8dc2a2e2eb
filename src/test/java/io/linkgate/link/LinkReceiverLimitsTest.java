package io.linkgate.link;

import io.linkgate.link.client.LinkClientException;
import io.linkgate.link.client.LinkClientOptions;
import io.linkgate.link.client.MqttLinkClient;
import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ActorInitAck;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.link.wire.RouteUpdate;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receiving side of a link: a 100-node peer cluster (100 route actors) can link to us, and a protocol error on
 * the route topic disconnects the client that made it and nothing else (EMQX's {@code t_disconnect_on_errors}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkReceiverLimitsTest {
  private LinkedClusters clusters;
  private final Vertx peerVertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    peerVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (clusters != null) {
      clusters.close();
    }
  }

  private MqttLinkClient client(int port, String clientId) {
    return new MqttLinkClient(peerVertx, new LinkClientOptions("127.0.0.1", port, clientId, null, null, true,
      Duration.ofSeconds(60), Duration.ZERO, 32, Duration.ofSeconds(10), new NetClientOptions()));
  }

  /** One route actor of cluster P: connect, subscribe to its resp topic, actor_init, then add one route. */
  private Future<ActorInitAck> actor(MqttLinkClient c, String actor, String filter) {
    Promise<ActorInitAck> acked = Promise.promise();
    String resp = LinkTopics.resp("P", actor);
    long incarnation = System.currentTimeMillis();
    c.messageHandler(in -> {
      ActorInitAck ack = ActorInitAck.decode(in.payload());
      if (!ack.isOk()) {
        acked.tryComplete(ack);
        return;
      }
      c.publish(LinkTopics.route("P"), new RouteUpdate(actor, incarnation, List.of(RouteOp.add(filter, filter)))
        .encode(), 1, null).onComplete(ar -> acked.tryComplete(ack));
    });
    c.closeHandler(reason -> acked.tryFail(reason));
    c.connect().compose(ack -> c.subscribe(resp, 1)).onSuccess(codes -> {
      MqttProperties props = new MqttProperties();
      props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, resp));
      props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, actor.getBytes(StandardCharsets.UTF_8)));
      c.publish(LinkTopics.route("P"), ActorInit.of(actor, incarnation, "A").encode(), 1, props);
    }).onFailure(acked::tryFail);
    return acked.future();
  }

  private <T> T onPeer(java.util.function.Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> cf = new CompletableFuture<>();
    peerVertx.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        cf.complete(ar.result());
      } else {
        cf.completeExceptionally(ar.cause());
      }
    }));
    return cf.get(60, TimeUnit.SECONDS);
  }

  @Test
  void aHundredNodePeerCanLink() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "P").link("A", "P", "m/#");
    clusters.start("A"); // P's own listener is not started: only its 100 route actors matter here
    int port = clusters.port("A");
    int actors = 100;
    List<ActorInitAck> acks = onPeer(() -> {
      List<Future<ActorInitAck>> all = new ArrayList<>();
      for (int i = 0; i < actors; i++) {
        all.add(actor(client(port, String.format("P:routesync:%08x", i)), "P@node" + i, "m/" + i));
      }
      return Future.all(all).map(cf -> {
        List<ActorInitAck> out = new ArrayList<>();
        for (int i = 0; i < actors; i++) {
          out.add(cf.resultAt(i));
        }
        return out;
      });
    });
    assertThat(acks).hasSize(actors).allMatch(ActorInitAck::isOk);
    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
      InboundLinkStats in = clusters.inbound("A", "P");
      assertThat(in.actors()).isEqualTo(actors);
      assertThat(in.routes()).isEqualTo(actors);
    });
  }

  @Test
  void aProtocolErrorOnTheRouteTopicDisconnectsThatClientOnly() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "x/#").link("B", "A");
    clusters.start("A");
    clusters.start("B");
    await().atMost(30, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "B").status())
      && "running".equals(clusters.status("B", "A").status()));

    // a client speaking for cluster A sends garbage on A's route topic at B
    MqttLinkClient rogue = client(clusters.port("B"), "A:routesync:0badc0de");
    CompletableFuture<LinkClientException> closed = new CompletableFuture<>();
    onPeer(() -> {
      rogue.closeHandler(closed::complete);
      return rogue.connect().compose(ack -> rogue.publish(LinkTopics.route("A"), new byte[] {1, 2, 3}, 1, null))
        .transform(ar -> Future.succeededFuture(0)); // the PUBACK never comes: the peer disconnects instead
    });
    LinkClientException reason = closed.get(15, TimeUnit.SECONDS);
    assertThat(reason.getMessage()).contains("0x83");

    // the real link is untouched: a message still crosses, and nothing reconnected
    long connects = clusters.status("A", "B").routeSyncConnects();
    List<String> got = new CopyOnWriteArrayList<>();
    MqttClient sub = new MqttClient(clusters.uri("A"), "sub", new MemoryPersistence());
    sub.connect();
    sub.subscribe("x/#", 1, (t, m) -> got.add(t));
    await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 1);
    MqttClient pub = new MqttClient(clusters.uri("B"), "pub", new MemoryPersistence());
    pub.connect();
    pub.publish("x/sentinel", new MqttMessage(new byte[] {1}));
    await().atMost(15, TimeUnit.SECONDS).until(() -> got.contains("x/sentinel"));
    assertThat(clusters.status("A", "B").routeSyncConnects()).isEqualTo(connects);
    assertThat(clusters.status("A", "B").status()).isEqualTo("running");
    pub.disconnect();
    pub.close();
    sub.disconnect();
    sub.close();
  }
}
