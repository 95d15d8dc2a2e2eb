package io.linkgate.link;

import io.linkgate.Linkgate;
import io.linkgate.alarm.Alarm;
import io.linkgate.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reference §7 scenario 25 and the operator's view of a broken link: each misconfiguration is refused with its
 * reason, raises the link's alarm, is retried forever and recovers by itself once fixed.
 */
class LinkMisconfigurationTest {
  LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  Alarm alarm(String cluster, String link) {
    return clusters.node(cluster).gateway().alarms().get(LinkVerticle.alarmName(link));
  }

  void awaitReason(String cluster, String link, String reason) {
    await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status(cluster, link);
      assertThat(s.status()).isNotEqualTo("running");
      assertThat(s.reason()).contains(reason);
      assertThat(alarm(cluster, link)).isNotNull();
      assertThat(alarm(cluster, link).message()).contains(reason);
    });
  }

  void awaitRecovered(String cluster, String link) {
    await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
      assertThat(clusters.status(cluster, link).status()).isEqualTo("running");
      assertThat(alarm(cluster, link)).isNull();
    });
  }

  @Test
  void peerWithoutALinkToUsAnswersUnknownClusterUntilItGetsOne() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#");
    clusters.start("A");
    clusters.start("B");
    awaitReason("A", "B", "unknown_cluster");
    clusters.stop("B");
    clusters.link("B", "A");
    clusters.start("B");
    awaitRecovered("A", "B");
  }

  @Test
  void peerThatDisabledItsLinkAnswersClusterLinkDisabled() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    clusters.start("A");
    JsonObject b = clusters.configJson("B");
    b.getJsonObject("cluster").getJsonArray("links").getJsonObject(0).put("enable", false);
    clusters.start("B", ConfigLoader.fromJson(b));
    awaitReason("A", "B", "cluster_link_disabled");
    // enabling it on B (as the API will) lets A in
    clusters.apply("B", clusters.config("B"));
    awaitRecovered("A", "B");
  }

  @Test
  void linkNamedDifferentlyFromThePeersClusterNameIsRefused() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    clusters.start("A");
    JsonObject b = clusters.configJson("B");
    b.getJsonObject("cluster").put("name", "B-renamed");
    clusters.start("B", ConfigLoader.fromJson(b));
    awaitReason("A", "B", "bad_remote_cluster_link_name");
  }

  @Test
  void unreachablePeerIsRetriedForeverAndRecoversWhenItComesUp() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    clusters.start("A");
    awaitReason("A", "B", "socket_error");
    await("several retries").atMost(15, TimeUnit.SECONDS)
      .until(() -> clusters.status("A", "B").routeSyncConnects() > 1);
    clusters.start("B");
    awaitRecovered("A", "B");
  }

  @Test
  void peerThatIsAPlainMqttBrokerNeverAnswersTheHandshake() throws Exception {
    try (Mosquitto mosquitto = Mosquitto.start()) {
      clusters = new LinkedClusters(LinkTimings.fast(), "A");
      JsonObject a = clusters.configJson("A");
      a.getJsonObject("cluster").put("links", new JsonArray().add(new JsonObject().put("name", "plain")
        .put("server", "127.0.0.1:" + mosquitto.port()).put("topics", new JsonArray().add("#"))));
      clusters.start("A", ConfigLoader.fromJson(a));
      awaitReason("A", "plain", "handshake_timeout");
    }
  }

  @Test
  void deletingALinkWhosePeerStallsConnectTakesUnderASecond() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A");
    Linkgate probe = null;
    java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.Vertx silentVertx = io.vertx.core.Vertx.vertx();
    NetServer silent = silentVertx.createNetServer().connectHandler(so -> so.handler(connect -> connects
      .incrementAndGet()));
    int port = silent.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
      .actualPort();
    JsonObject a = clusters.configJson("A");
    a.getJsonObject("cluster").put("links", new JsonArray().add(new JsonObject().put("name", "stall")
      .put("server", "127.0.0.1:" + port).put("topics", new JsonArray().add("#"))));
    Linkgate node = clusters.start("A", ConfigLoader.fromJson(a));
    await().atMost(5, TimeUnit.SECONDS).until(() -> clusters.runs("A", "stall"));
    await("a CONNECT is outstanding").atMost(5, TimeUnit.SECONDS).until(() -> connects.get() > 0);
    long start = System.nanoTime();
    clusters.apply("A", ConfigLoader.fromJson(clusters.configJson("A")));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(clusters.runs("A", "stall")).isFalse();
    silentVertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aLinkToAnUnresolvableHostDoesNotDisturbTheOthers() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("A", "B", "#").link("B", "A");
    JsonObject a = clusters.configJson("A");
    a.getJsonObject("cluster").getJsonArray("links").add(new JsonObject().put("name", "ghost")
      .put("server", "ghost.invalid:1883").put("topics", new JsonArray().add("ghost/#")));
    clusters.start("A", ConfigLoader.fromJson(a));
    clusters.start("B");
    awaitRecovered("A", "B");
    awaitReason("A", "ghost", "socket_error");
  }
}
