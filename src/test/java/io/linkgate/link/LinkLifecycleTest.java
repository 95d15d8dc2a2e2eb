package io.linkgate.link;

import io.linkgate.config.ConfigLoader;
import io.linkgate.config.LinkgateConfig;
import io.linkgate.testutil.Await;
import io.linkgate.testutil.Ports;
import io.linkgate.testutil.Sentinel;
import io.linkgate.testutil.TcpProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.linkgate.link.ClusterLinkingTest.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Links changing under running clusters, and the upstream bugs that taught us how (reference §6, §7). */
class LinkLifecycleTest {
  LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  /** Changes the node's config as an operator does: through its config manager (queued with other changes). */
  void apply(String cluster, LinkgateConfig config) throws Exception {
    Await.result(clusters.node(cluster).gateway().configs().replace(config, "test"));
  }

  LinkgateConfig withLinks(String cluster, JsonArray links) {
    JsonObject json = clusters.configJson(cluster);
    json.getJsonObject("cluster").put("links", links);
    return ConfigLoader.fromJson(json);
  }

  JsonArray links(String cluster) {
    return clusters.configJson(cluster).getJsonObject("cluster").getJsonArray("links");
  }

  void awaitRoutes(String cluster, String peer, int routes) {
    await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.inbound(cluster, peer).routes() == routes);
  }

  void awaitDelivered(ClusterLinkingTest.Inbox inbox, String message) {
    await().atMost(10, TimeUnit.SECONDS).until(() -> inbox.messages.contains(message));
  }

  @Test
  void disablingAndReenablingTheLastLinkKeepsThePeersRoutes() throws Exception {
    // #13928: with no link enabled, B must still answer A's heartbeats, or A's routes are GC'd.
    // C is the sentinel: stopped right after B's links are disabled, its routes on B expire by TTL and GC. Once they
    // are gone, A's would be gone too had B stopped refreshing them (A's last refresh came no later than C's).
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B", "C").link("A", "B", "#").link("B", "A")
      .link("C", "B", "#").link("B", "C");
    clusters.start("A");
    clusters.start("B");
    clusters.start("C");
    ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
    MqttClient sub = client(clusters.uri("A"), "last-sub", inbox);
    sub.subscribe("last/#", 1);
    MqttClient subC = client(clusters.uri("C"), "sentinel-sub", null);
    subC.subscribe("c/#", 1);
    awaitRoutes("B", "A", 1);
    awaitRoutes("B", "C", 1);
    JsonArray disabled = links("B");
    disabled.getJsonObject(0).put("enable", false);
    disabled.getJsonObject(1).put("enable", false);
    apply("B", withLinks("B", disabled));
    assertThat(clusters.inbound("B", "C").routes()).as("disabling keeps the peer's routes").isEqualTo(1);
    subC.disconnect();
    clusters.stop("C");
    awaitRoutes("B", "C", 0); // TTL + GC on B
    assertThat(clusters.inbound("B", "A").routes()).isEqualTo(1);
    apply("B", withLinks("B", links("B")));
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("B", "A").status()));
    MqttClient pub = client(clusters.uri("B"), "last-pub", null);
    pub.publish("last/x", "back".getBytes(), 1, false);
    awaitDelivered(inbox, "last/x back");
    // scenario 36: routes made after the re-enable work as well as the old ones
    sub.subscribe("fresh/#", 1);
    awaitRoutes("B", "A", 2);
    pub.publish("fresh/y", "new".getBytes(), 1, false);
    awaitDelivered(inbox, "fresh/y new");
    pub.disconnect();
    sub.disconnect();
  }

  @Test
  void peerThatGarbageCollectedUsAsksForAndGetsAFullBootstrap() throws Exception {
    // #16269: A reconnects with the same incarnation after B expired A's actor: B must say need_bootstrap
    int proxyPort = Ports.free();
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").linkVia("A", "B", proxyPort, "#").link("B", "A");
    try (TcpProxy proxy = new TcpProxy(proxyPort, clusters.port("B"))) {
      clusters.start("A");
      clusters.start("B");
      ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
      MqttClient sub = client(clusters.uri("A"), "gc-sub", inbox);
      sub.subscribe("gc/#", 1);
      awaitRoutes("B", "A", 1);
      proxy.cut();
      awaitRoutes("B", "A", 0); // TTL + GC on B
      assertThat(clusters.inbound("B", "A").actors()).isZero();
      proxy.restore();
      awaitRoutes("B", "A", 1);
      MqttClient pub = client(clusters.uri("B"), "gc-pub", null);
      pub.publish("gc/x", "again".getBytes(), 1, false);
      awaitDelivered(inbox, "gc/x again");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void changingTopicsRebootstrapsAndTheReceiverRefusesWhatItNoLongerWants() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "old/#").link("B", "A");
    clusters.start("A");
    clusters.start("B");
    ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
    MqttClient sub = client(clusters.uri("A"), "topics-sub", inbox);
    sub.subscribe("old/#", 1);
    sub.subscribe("new/#", 1);
    awaitRoutes("B", "A", 1);
    MqttClient pub = client(clusters.uri("B"), "topics-pub", null);
    pub.publish("old/1", "x".getBytes(), 1, false);
    awaitDelivered(inbox, "old/1 x");

    JsonArray changed = links("A");
    changed.getJsonObject(0).put("topics", new JsonArray().add("new/#"));
    apply("A", withLinks("A", changed));
    await().atMost(15, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 1
      && "running".equals(clusters.status("A", "B").status()));
    pub.publish("new/1", "y".getBytes(), 1, false);
    awaitDelivered(inbox, "new/1 y");
    pub.publish("old/2", "z".getBytes(), 1, false);
    Sentinel.publishAndAwait(p -> pub.publish("new/2", p.getBytes(), 1, false), () -> inbox.messages);
    assertThat(inbox.messages).doesNotContain("old/2 z");
    pub.disconnect();
    sub.disconnect();
  }

  @Test
  void randomSubscriptionChurnWithConnectionKillsConverges() throws Exception {
    // reference §7 scenario 11: the replicated state equals the subscribers' final view
    int proxyPort = Ports.free();
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").linkVia("A", "B", proxyPort, "churn/#").link("B", "A");
    try (TcpProxy proxy = new TcpProxy(proxyPort, clusters.port("B"))) {
      clusters.start("A");
      clusters.start("B");
      MqttClient sub = client(clusters.uri("A"), "churn-sub", null);
      Random random = new Random(42);
      Set<String> subscribed = new HashSet<>();
      for (int i = 0; i < 600; i++) {
        String filter = "churn/" + random.nextInt(60);
        if (random.nextBoolean()) {
          sub.subscribe(filter, 0);
          subscribed.add(filter);
        } else {
          sub.unsubscribe(filter);
          subscribed.remove(filter);
        }
        if (i % 200 == 100) {
          proxy.cut();
          Thread.sleep(50); // how long the link stays cut (the test's input, not a wait for something)
          proxy.restore();
        }
      }
      int expected = subscribed.size();
      awaitRoutes("B", "A", expected);
      // the replicated routes belong to B's route sync, which lives on B's broker loop: read them there
      RouteSync routes = clusters.node("B").gateway().routeSync();
      Set<String> missing = Await.result(clusters.node("B").gateway().broker().onBroker(b -> subscribed.stream()
        .filter(filter -> !routes.hasExternalRoute("A", filter, filter)).collect(Collectors.toSet())));
      assertThat(missing).as("filters without their route on B").isEmpty();
      sub.disconnect();
    }
  }
}
