package io.linkgate.lifecycle;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkStatus;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A reload that touches one of 100 links leaves the other 99 connected: no reconnect on either side. */
@Timeout(300) // starts 101 nodes
class HundredLinksReloadTest {
  static final int LINKS = 100;
  static final int TOUCHED = 7;

  LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    clusters.close();
  }

  static String peer(int i) {
    return "p" + i;
  }

  @Test
  void touchingOneLinkLeavesTheOther99Connected() throws Exception {
    List<String> names = new ArrayList<>(List.of("A"));
    for (int i = 0; i < LINKS; i++) {
      names.add(peer(i));
    }
    clusters = new LinkedClusters(LinkTimings.fast(), names.toArray(String[]::new)).small();
    for (int i = 0; i < LINKS; i++) {
      clusters.link("A", peer(i), "t/" + i + "/#").link(peer(i), "A");
    }
    for (int i = 0; i < LINKS; i++) {
      clusters.start(peer(i), ConfigLoader.fromJson(onePoolClient(clusters.configJson(peer(i)))));
    }
    Path file = Files.createTempDirectory("linkgate-100").resolve("linkgate.conf");
    JsonObject conf = onePoolClient(clusters.configJson("A"));
    Files.writeString(file, conf.encodePrettily());
    Linkgate a = clusters.startFromFile("A", file);
    await().atMost(Duration.ofSeconds(60)).until(() -> allRunning(a));

    Map<String, Long> linkConnects = new HashMap<>();
    Map<String, Long> peerConnections = new HashMap<>();
    for (int i = 0; i < LINKS; i++) {
      linkConnects.put(peer(i), clusters.status("A", peer(i)).routeSyncConnects());
      peerConnections.put(peer(i), connectionsOpened(clusters.node(peer(i))));
    }

    conf.getJsonObject("cluster").getJsonArray("links").getJsonObject(TOUCHED)
      .put("topics", new JsonArray().add("t/" + TOUCHED + "/#").add("extra/#"));
    Files.writeString(file, conf.encodePrettily());
    await().atMost(Duration.ofSeconds(15)).until(() ->
      a.config().cluster().link(peer(TOUCHED)).orElseThrow().topics().size() == 2);
    // the new config is the running one once the links were applied: a link the reload restarted is down by then.
    // Running again with its whole pool connected means its peer has counted every connection it made, so the
    // counters below are final (no need to wait "long enough" for a reconnect to show)
    await().atMost(Duration.ofSeconds(20)).until(() -> allRunning(a));

    JsonObject report = a.gateway().configs().status().toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS).getJsonObject("last_reload");
    assertThat(report.getJsonArray("changes")).containsExactly("cluster.links[" + peer(TOUCHED) + "]: changed [topics]");
    for (int i = 0; i < LINKS; i++) {
      if (i == TOUCHED) {
        continue;
      }
      LinkStatus s = clusters.status("A", peer(i));
      assertThat(s.status()).as(peer(i)).isEqualTo("running");
      assertThat(s.routeSyncConnects()).as(peer(i) + " route-sync connects").isEqualTo(linkConnects.get(peer(i)));
      assertThat(connectionsOpened(clusters.node(peer(i)))).as(peer(i) + " connections from A")
        .isEqualTo(peerConnections.get(peer(i)));
    }
    // the touched link did reconnect: its peer saw new connections
    assertThat(connectionsOpened(clusters.node(peer(TOUCHED)))).isGreaterThan(peerConnections.get(peer(TOUCHED)));
  }

  static JsonObject onePoolClient(JsonObject conf) {
    JsonArray links = conf.getJsonObject("cluster").getJsonArray("links");
    for (int i = 0; i < links.size(); i++) {
      links.getJsonObject(i).put("pool_size", 1);
    }
    return conf;
  }

  boolean allRunning(Linkgate a) throws Exception {
    for (int i = 0; i < LINKS; i++) {
      LinkStatus s = clusters.status("A", peer(i));
      if (!"running".equals(s.status()) || s.poolConnected() < s.poolSize()) {
        return false;
      }
    }
    return true;
  }

  static long connectionsOpened(Linkgate node) throws Exception {
    return node.gateway().broker().onBroker(b -> b.metrics().connectionsTotal()).toCompletionStage()
      .toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
