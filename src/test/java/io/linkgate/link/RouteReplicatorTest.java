package io.linkgate.link;

import io.linkgate.Addresses;
import io.linkgate.LocalCodec;
import io.linkgate.config.LinkOptions;
import io.linkgate.config.ValidationError;
import io.linkgate.link.client.LinkClient;
import io.linkgate.link.wire.ActorInit;
import io.linkgate.link.wire.ActorInitAck;
import io.linkgate.link.wire.ControlOp;
import io.linkgate.link.wire.LinkTopics;
import io.linkgate.link.wire.RouteOp;
import io.linkgate.link.wire.RouteUpdate;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route-replication actor's state machine with a fake client (the socket path is covered by
 * {@code ClusterLinkingTest}, {@code LinkReconnectTest} and the EMQX compatibility tests): the handshake, the
 * bootstrap in acknowledged batches with the ops that waited meanwhile after it, coalescing while online, and a full
 * handshake and bootstrap again after a reconnect. The test plays the peer and the broker's route snapshot. Everything
 * runs on the replicator's context.
 */
@Timeout(30)
class RouteReplicatorTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  /** Heartbeats effectively off (an hour) so that only handshakes and route batches are published. */
  private static final LinkTimings TIMINGS = new LinkTimings(Duration.ofSeconds(30), Duration.ofHours(1),
    Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(20),
    Duration.ofMillis(100));
  private static final String ACTOR = "a@node1";

  private Vertx vertx;
  private OnLoop loop;
  private final FakeLinkClient.Factory clients = new FakeLinkClient.Factory();
  /** Snapshot requests from the replicator, answered by the test. */
  private final List<Message<String>> snapshotRequests = new CopyOnWriteArrayList<>();
  private RouteReplicator replicator;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    LocalCodec.register(vertx);
    loop = new OnLoop(vertx);
    LinkOptions link = LinkOptions.fromJson(new JsonObject().put("name", "B").put("server", "127.0.0.1:1883")
      .put("topics", new JsonArray().add("#")), "link", new ArrayList<ValidationError>());
    loop.run(() -> {
      vertx.eventBus().<String>localConsumer(Addresses.ROUTE_SNAPSHOT, snapshotRequests::add);
      replicator = new RouteReplicator(vertx, clients, link, LinkIdentity.of(link, "A", ACTOR), TIMINGS,
        reason -> { }, () -> { });
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    loop.run(() -> replicator.stop());
    vertx.close().await();
  }

  /** What the client published on the route topic, decoded. */
  private List<ControlOp> controlOps(FakeLinkClient c) throws Exception {
    return loop.call(() -> {
      List<ControlOp> out = new ArrayList<>();
      for (FakeLinkClient.Published p : c.published) {
        assertThat(p.topic()).isEqualTo(LinkTopics.route("A"));
        out.add(ControlOp.decode(p.payload()));
      }
      return out;
    });
  }

  private List<List<RouteOp>> batches(FakeLinkClient c) throws Exception {
    return controlOps(c).stream().filter(op -> op instanceof RouteUpdate).map(op -> ((RouteUpdate) op).routes())
      .toList();
  }

  /** Waits for the client's actor_init and answers it as the peer does (ok), with its correlation data. */
  private void acceptHandshake(FakeLinkClient c) throws Exception {
    loop.until("actor_init sent", BOUND, () -> !c.published.isEmpty());
    loop.run(() -> {
      FakeLinkClient.Published init = c.published.get(0);
      assertThat(ControlOp.decode(init.payload())).isInstanceOf(ActorInit.class);
      c.ack(0);
      c.deliver(reply(init, ActorInitAck.ok(ACTOR, true)));
    });
  }

  private static LinkClient.Incoming reply(FakeLinkClient.Published request, ActorInitAck ack) {
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA,
      (byte[]) request.properties().getProperty(MqttProperties.CORRELATION_DATA).value()));
    String responseTopic = (String) request.properties().getProperty(MqttProperties.RESPONSE_TOPIC).value();
    return new LinkClient.Incoming(responseTopic, ack.encode(), 1, props);
  }

  /** Waits for the n-th snapshot request (1-based) and answers it with {@code routes}. */
  private void answerSnapshot(int n, List<RouteOp> routes) throws Exception {
    loop.until("snapshot request " + n, BOUND, () -> snapshotRequests.size() >= n);
    loop.run(() -> snapshotRequests.get(n - 1).reply(routes, LocalCodec.LOCAL));
  }

  private void goOnline(List<RouteOp> snapshot) throws Exception {
    loop.run(() -> replicator.start());
    loop.until("client created", BOUND, () -> !clients.created.isEmpty());
    FakeLinkClient c = clients.last();
    acceptHandshake(c);
    answerSnapshot(1, snapshot);
    loop.until("online", BOUND, () -> {
      c.ackAll();
      return replicator.state() == RouteReplicator.State.ONLINE;
    });
  }

  @Test
  void bootstrapSendsTheSnapshotInAcknowledgedBatchesThenTheOpsThatWaited() throws Exception {
    List<RouteOp> snapshot = new ArrayList<>();
    for (int i = 0; i <= RouteUpdate.MAX_BATCH; i++) {
      snapshot.add(RouteOp.add("s/" + i, "r"));
    }
    loop.run(() -> {
      // before the link is up: the add is covered by the snapshot, the delete is not and must follow it
      replicator.onOps(List.of(RouteOp.add("s/0", "r"), RouteOp.delete("gone", "r")));
      replicator.start();
    });
    loop.until("client created", BOUND, () -> !clients.created.isEmpty());
    FakeLinkClient c = clients.last();
    loop.until("subscribed to its response topic", BOUND,
      () -> c.subscriptions.equals(List.of(LinkTopics.resp("A", ACTOR))));
    acceptHandshake(c);
    answerSnapshot(1, snapshot);
    loop.until("first batch sent", BOUND, () -> c.inflight() == 1);
    loop.run(() -> {
      assertThat(replicator.state()).isEqualTo(RouteReplicator.State.BOOTSTRAPPING);
      assertThat(replicator.bootstrapProgress()).isEqualTo("0 of 4001");
      replicator.onOps(List.of(RouteOp.add("late", "r"))); // during the bootstrap: waits for its end
    });
    loop.until("online", BOUND, () -> {
      c.ackAll(); // one batch at a time: the next goes only after this PUBACK
      return replicator.state() == RouteReplicator.State.ONLINE && c.inflight() == 0 && batches(c).size() == 3;
    });
    List<List<RouteOp>> batches = batches(c);
    assertThat(batches.get(0)).isEqualTo(snapshot.subList(0, RouteUpdate.MAX_BATCH));
    assertThat(batches.get(1)).containsExactly(RouteOp.add("s/4000", "r"));
    assertThat(batches.get(2)).containsExactly(RouteOp.add("late", "r"), RouteOp.delete("gone", "r"));
    assertThat(loop.call(() -> c.maxInflightSeen)).as("each batch acknowledged before the next").isEqualTo(1);
    assertThat(loop.call(replicator::pendingOps)).isZero();
  }

  @Test
  void opsAreCoalescedIntoOneBatchAndWaitForTheOneInFlight() throws Exception {
    goOnline(List.of());
    FakeLinkClient c = clients.last();
    loop.run(() -> {
      replicator.onOps(List.of(RouteOp.add("a", "r")));
      replicator.onOps(List.of(RouteOp.add("b", "r")));
      replicator.onOps(List.of(RouteOp.add("gone", "r")));
    });
    loop.until("one batch in flight", BOUND, () -> c.inflight() == 1);
    // while it is in flight, more ops arrive in separate turns; a subscribe then unsubscribe nets to the delete
    loop.run(() -> replicator.onOps(List.of(RouteOp.add("c", "r"))));
    loop.run(() -> replicator.onOps(List.of(RouteOp.delete("gone", "r"))));
    loop.run(() -> replicator.onOps(List.of(RouteOp.add("d", "r"), RouteOp.delete("d", "r"))));
    loop.run(() -> c.ack(0));
    loop.until("second batch sent and acknowledged", BOUND, () -> {
      c.ackAll();
      return batches(c).size() == 2 && c.inflight() == 0;
    });
    List<List<RouteOp>> batches = batches(c); // an empty snapshot sends no batch
    assertThat(batches.get(0)).containsExactly(RouteOp.add("a", "r"), RouteOp.add("b", "r"), RouteOp.add("gone", "r"));
    assertThat(batches.get(1)).containsExactly(RouteOp.add("c", "r"), RouteOp.delete("gone", "r"),
      RouteOp.delete("d", "r"));
    assertThat(loop.call(() -> c.maxInflightSeen)).isEqualTo(1);
  }

  @Test
  void afterAReconnectTheHandshakeAndAFullBootstrapAreDoneAgain() throws Exception {
    goOnline(List.of(RouteOp.add("s/1", "r")));
    FakeLinkClient first = clients.last();
    loop.run(() -> {
      first.drop("socket_closed");
      assertThat(replicator.state()).isEqualTo(RouteReplicator.State.DISCONNECTED);
      replicator.onOps(List.of(RouteOp.delete("s/1", "r"), RouteOp.add("s/2", "r")));
    });
    loop.until("reconnected", BOUND, () -> clients.created.size() == 2);
    FakeLinkClient second = clients.last();
    loop.until("actor_init sent again", BOUND, () -> !second.published.isEmpty());
    // an answer to the first attempt's handshake (its correlation data) is not taken for this one
    loop.run(() -> second.deliver(reply(first.published.get(0), ActorInitAck.ok(ACTOR, true))));
    assertThat(loop.call(replicator::state)).isEqualTo(RouteReplicator.State.HANDSHAKING);
    acceptHandshake(second);
    answerSnapshot(2, List.of(RouteOp.add("s/2", "r")));
    loop.until("online again, the delete sent", BOUND, () -> {
      second.ackAll();
      return replicator.state() == RouteReplicator.State.ONLINE && batches(second).size() == 2
        && second.inflight() == 0;
    });
    assertThat(batches(second).get(0)).as("the full set again").containsExactly(RouteOp.add("s/2", "r"));
    assertThat(batches(second).get(1)).as("the delete made while down").containsExactly(RouteOp.delete("s/1", "r"));
    assertThat(loop.call(replicator::connects)).isEqualTo(2);
    assertThat(batches(first)).hasSize(1);
  }
}
