package io.linkgate.link;

import io.linkgate.alarm.Alarm;
import io.linkgate.config.ConfigLoader;
import io.linkgate.testutil.Ports;
import io.linkgate.testutil.TcpProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Linkgate's link towards a peer that behaves like EMQX 5.x on the control plane ({@link FakeEmqxPeer}): routes after
 * a peer restart and a GC while it answers {@code need_bootstrap = false}, deletes made while disconnected, a periodic
 * re-sync, a bootstrap longer than the actor TTL over a slow link, the CONNACK limits, a protocol error on the route
 * topic ({@code t_disconnect_on_errors}), and a status that says when forwarding stalls or the peer no longer links
 * back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Emqx5ControlCompatTest {
  private static final LinkTimings FAST = LinkTimings.fast();

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private LinkedClusters clusters;
  private FakeEmqxPeer peer;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing the rest matters more
      }
    }
    if (clusters != null) {
      clusters.close();
    }
    if (peer != null) {
      peer.close();
    }
  }

  /** Starts cluster A with a link named P to {@code port} (the fake peer or a proxy in front of it). */
  private void startA(int port, UnaryOperator<JsonObject> bend) throws Exception {
    clusters = new LinkedClusters(FAST, "A");
    JsonObject json = clusters.configJson("A");
    JsonObject link = new JsonObject().put("name", "P").put("server", "127.0.0.1:" + port)
      .put("topics", new JsonArray().add("t/#").add("s/#").add("big/#")).put("pool_size", 2);
    json.getJsonObject("cluster").put("links", new JsonArray().add(bend.apply(link)));
    clusters.start("A", ConfigLoader.fromJson(json));
  }

  private MqttClient client(String id) throws Exception {
    MqttClient c = new MqttClient(clusters.uri("A"), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    closeables.add(() -> {
      if (c.isConnected()) {
        c.disconnect();
      }
      c.close();
    });
    return c;
  }

  private void awaitRoutes(String... filters) {
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
      assertThat(peer.routeFilters()).containsExactlyInAnyOrder(filters));
  }

  @Test
  void routesAreSentAgainAfterAPeerRestartThatAnswersNeedBootstrapFalse() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free()).needBootstrapAlwaysFalse();
    startA(peer.port(), l -> l);
    MqttClient sub = client("sub");
    sub.subscribe("t/1", 1);
    awaitRoutes("t/1");

    peer.restart(); // tables in RAM: every actor and route is gone, and it will say need_bootstrap = false
    assertThat(peer.routeFilters()).isEmpty();
    await().atMost(30, TimeUnit.SECONDS).until(() -> peer.actorInits() >= 2);
    awaitRoutes("t/1");
  }

  @Test
  void afterAnOutageLongerThanTheTtlRoutesComeBackAndDeletesMadeMeanwhileAreApplied() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free()).needBootstrapAlwaysFalse().garbageCollect(
      FAST.actorTtl().toMillis());
    int proxyPort = Ports.free();
    TcpProxy proxy = new TcpProxy(proxyPort, peer.port());
    closeables.add(proxy);
    startA(proxyPort, l -> l);
    MqttClient sub = client("sub");
    sub.subscribe(new String[] {"t/1", "t/2", "t/3"}, new int[] {1, 1, 1});
    awaitRoutes("t/1", "t/2", "t/3");

    // a short outage: the peer keeps our actor, the delete made meanwhile must still reach it
    proxy.cut();
    sub.unsubscribe("t/3");
    proxy.restore();
    awaitRoutes("t/1", "t/2");

    // an outage longer than TTL + GC: the peer forgets our actor, then answers need_bootstrap = false
    proxy.cut();
    await().atMost(20, TimeUnit.SECONDS).until(() -> peer.actorCount() == 0);
    sub.unsubscribe("t/2");
    proxy.restore();
    awaitRoutes("t/1");
  }

  @Test
  void periodicResyncRepairsAPeerThatLostOurRoutesWithoutTellingUs() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free()).needBootstrapAlwaysFalse();
    startA(peer.port(), l -> l.put("route_resync_interval", "10s"));
    MqttClient sub = client("sub");
    sub.subscribe("t/1", 1);
    awaitRoutes("t/1");
    peer.forgetRoutes(); // EMQX #16317: a GC wiped our lane, the connection stays up
    assertThat(peer.routeFilters()).isEmpty();
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(peer.routeFilters()).containsExactly("t/1"));
    assertThat(clusters.status("A", "P").status()).isIn("running", "degraded");
  }

  @Test
  void aBootstrapLongerThanTheActorTtlOverASlowLinkCompletes() throws Exception {
    // the peer's TTL is twice ours, so heartbeats (every third of our TTL) have a margin of five intervals for a
    // loaded machine; the bootstrap is made to outlast the peer's TTL
    long peerTtl = 2 * FAST.actorTtl().toMillis();
    peer = new FakeEmqxPeer("P", "A", Ports.free()).garbageCollect(peerTtl);
    int proxyPort = Ports.free();
    TcpProxy proxy = new TcpProxy(proxyPort, peer.port());
    closeables.add(proxy);
    // the link cannot connect while the routes are made, so that all of them go in one bootstrap
    proxy.cut();
    startA(proxyPort, l -> l.put("topics", new JsonArray().add("t/#")).put("pool_size", 1));
    MqttClient sub = client("sub");
    int routes = 20_000;
    List<String> filters = new ArrayList<>();
    for (int i = 0; i < routes; i++) {
      filters.add("t/" + Integer.toHexString(i * 7919 + 104_729) + "/" + i);
    }
    for (int i = 0; i < routes; i += 500) {
      List<String> chunk = filters.subList(i, Math.min(routes, i + 500));
      sub.subscribe(chunk.toArray(String[]::new), chunk.stream().mapToInt(f -> 1).toArray());
    }
    proxy.throttle(12_500); // over 1.5 s per 4,000-route batch: the whole bootstrap outlasts the peer's TTL
    long started = System.currentTimeMillis();
    proxy.restore();

    await().atMost(90, TimeUnit.SECONDS).until(() -> peer.routeCount() == routes);
    long took = System.currentTimeMillis() - started;
    assertThat(took).as("the bootstrap must outlast the TTL to test anything").isGreaterThan(peerTtl);
    assertThat(peer.protocolErrors()).as("no batch for a garbage-collected actor").isZero();
    assertThat(peer.actorInits()).as("one handshake: the bootstrap never started over").isEqualTo(1);
    assertThat(peer.heartbeats()).isPositive();
    System.out.println("bootstrap of " + routes + " routes over the slowed link took " + took + " ms");
  }

  @Test
  void honoursServerKeepAliveAndMaximumPacketSize() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free()).connackLimits(1, 2048);
    startA(peer.port(), l -> l); // our keepalive is 60 s
    await().atMost(15, TimeUnit.SECONDS).until(() -> peer.pingreqs(":routesync:") >= 2);

    // the peer links back and wants big/#: a record larger than 2 KB is dropped and counted, the next one goes
    assertThat(peer.linkBack(clusters.port("A"), 1000, "big/#").isOk()).isTrue();
    MqttClient pub = client("pub");
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("A", "P").routes() == 1);
    await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.status("A", "P").poolConnected() == 2);
    pub.publish("big/1", new byte[4096], 1, false);
    pub.publish("big/sentinel", new byte[10], 1, false);
    await().atMost(15, TimeUnit.SECONDS).until(() -> peer.forwardedTopics().contains("big/sentinel"));
    assertThat(peer.forwardedTopics()).doesNotContain("big/1");
    assertThat(peer.oversized()).isZero();
    assertThat(clusters.status("A", "P").forwarding().dropped()).isEqualTo(1);
  }

  @Test
  void aProtocolErrorOnTheRouteTopicDisconnectsThatClientOnlyAndTheSenderRecovers() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    startA(peer.port(), l -> l);
    MqttClient sub = client("sub");
    sub.subscribe("t/1", 1);
    awaitRoutes("t/1");
    await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.status("A", "P").poolConnected() == 2);
    List<String> before = peer.clientIds();

    peer.failNextRouteOp(); // EMQX t_disconnect_on_errors: applying the op raises, the route client is kicked
    sub.subscribe("t/2", 1);
    await().atMost(15, TimeUnit.SECONDS).until(() -> peer.protocolErrors() == 1);
    awaitRoutes("t/1", "t/2");
    assertThat(peer.actorInits()).isEqualTo(2);
    List<String> reconnected = new ArrayList<>(peer.clientIds().subList(before.size(), peer.clientIds().size()));
    assertThat(reconnected).as("only the route-sync client reconnected").allMatch(id -> id.contains(":routesync:"));
  }

  @Test
  void statusIsDegradedWhileForwardingStallsAndKeepsTheLastFailure() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    startA(peer.port(), l -> l.put("retry_interval", "1s"));
    assertThat(peer.linkBack(clusters.port("A"), 1000, "s/#").isOk()).isTrue();
    await().atMost(20, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "P").status()));
    assertThat(clusters.status("A", "P").lastFailureReason()).isNull();

    peer.ackMessages(false);
    client("pub").publish("s/1", new byte[] {1}, 1, false);
    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "P");
      assertThat(s.status()).isEqualTo("degraded");
      assertThat(s.reason()).startsWith("forwarding stalled: no PUBACK from the peer for");
      Alarm alarm = clusters.node("A").gateway().alarms().get(LinkVerticle.alarmName("P"));
      assertThat(alarm).isNotNull();
      assertThat(alarm.message()).contains("cluster link degraded: forwarding stalled");
    });

    peer.ackMessages(true); // the retried PUBLISH gets its PUBACK
    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "P");
      assertThat(s.status()).isEqualTo("running");
      assertThat(s.lastFailureReason()).startsWith("forwarding stalled");
      assertThat(s.lastFailureAt()).isNotNull();
      assertThat(clusters.node("A").gateway().alarms().get(LinkVerticle.alarmName("P"))).isNull();
    });
    assertThat(clusters.status("A", "P").server()).isEqualTo("127.0.0.1:" + peer.port());
  }

  @Test
  void statusIsDegradedWhileThePeerAcknowledgesNoHeartbeat() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    startA(peer.port(), l -> l);
    assertThat(peer.linkBack(clusters.port("A"), 1000).isOk()).isTrue();
    await().atMost(20, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "P").status()));

    peer.ackRoutes(false); // the socket stays up, keep-alive works, but the route actor's heartbeats are not taken
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "P");
      assertThat(s.status()).isEqualTo("degraded");
      assertThat(s.reason()).startsWith("route replication stalled: 127.0.0.1:" + peer.port()
        + " has acknowledged no heartbeat or route batch for");
    });
    peer.ackRoutes(true);
    await().atMost(30, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "P").status()));
  }

  @Test
  void statusSaysWhenThePeerNoLongerLinksBack() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    startA(peer.port(), l -> l);
    assertThat(peer.linkBack(clusters.port("A"), 1000).isOk()).isTrue();
    await().atMost(20, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "P").status()));

    peer.stopLinkingBack(); // the peer disabled, then deleted its link to us; our link stays up
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "P");
      assertThat(s.status()).isEqualTo("degraded");
      assertThat(s.reason()).startsWith("peer no longer links back: cluster 'P' has had no live route actor here");
    });
    assertThat(clusters.status("A", "P").routeSyncState()).isEqualTo("online");
  }

  @Test
  void aMisnamedLinkSaysWhatTheServerAnsweredAndWhatItExpected() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    clusters = new LinkedClusters(FAST, "A");
    JsonObject json = clusters.configJson("A");
    json.getJsonObject("cluster").put("links", new JsonArray().add(new JsonObject().put("name", "WRONG")
      .put("server", "127.0.0.1:" + peer.port()).put("topics", new JsonArray().add("t/#"))));
    clusters.start("A", ConfigLoader.fromJson(json));
    await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(clusters.status("A", "WRONG").reason())
      .contains("the server at 127.0.0.1:" + peer.port() + " rejected our handshake (bad_remote_cluster_link_name)")
      .contains("its own cluster.name is not 'WRONG'"));
  }

  @Test
  void twoLinksToTheSameServerUseDifferentClientIdsWithTheConfiguredPrefix() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    clusters = new LinkedClusters(FAST, "A");
    JsonObject json = clusters.configJson("A");
    json.getJsonObject("cluster").put("links", new JsonArray()
      .add(new JsonObject().put("name", "P").put("server", "127.0.0.1:" + peer.port())
        .put("topics", new JsonArray().add("t/#")).put("pool_size", 2).put("clientid", "clink-a"))
      .add(new JsonObject().put("name", "misnamed").put("server", "127.0.0.1:" + peer.port())
        .put("topics", new JsonArray().add("t/#")).put("pool_size", 2).put("clientid", "clink-a")));
    clusters.start("A", ConfigLoader.fromJson(json));
    await().atMost(15, TimeUnit.SECONDS).until(() -> peer.clientIds().size() >= 6);
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "P").status())
      || "degraded".equals(clusters.status("A", "P").status()));
    List<String> ids = peer.clientIds();
    assertThat(new HashSet<>(ids)).as("no id connects twice: nobody took a session over").hasSize(ids.size());
    assertThat(ids).allMatch(id -> id.matches("clink-a:(routesync|msg):[0-9a-f]{8}(:[0-9]+)?"));
  }

}
