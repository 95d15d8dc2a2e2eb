package io.linkgate.api;

import io.linkgate.Linkgate;
import io.linkgate.config.ConfigLoader;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.Ports;
import io.linkgate.testutil.ApiUser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code node_status[]} of a link over REST: the address in use out of a server list, and the last failure with its
 * time, kept after the link recovered (the dashboard shows these fields by these names).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkNodeStatusApiTest {
  private LinkedClusters clusters;
  private final Vertx client = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonObject nodeStatus(Linkgate a) throws Exception {
    var res = WebClient.create(client).get(a.apiPort(), "127.0.0.1", "/api/v5/cluster/links/link/B")
      .putHeader("Authorization", ApiUser.OPS.basicAuthorization())
      .send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(res.statusCode()).isEqualTo(200);
    return res.bodyAsJsonObject().getJsonArray("node_status").getJsonObject(0);
  }

  @Test
  void nodeStatusShowsTheServerInUseAndKeepsTheLastFailure() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("B", "A", "m/#");
    JsonObject conf = clusters.configJson("A");
    int dead = Ports.free();
    conf.getJsonObject("cluster").put("links", new JsonArray().add(new JsonObject().put("name", "B")
      .put("server", "127.0.0.1:" + dead + ",127.0.0.1:" + clusters.port("B")).put("topics", new JsonArray())
      .put("pool_size", 1)));
    conf.put("api", ApiUser.OPS.apiSection());
    Linkgate a = clusters.start("A", ConfigLoader.fromJson(conf));
    clusters.start("B");
    String inUse = "127.0.0.1:" + clusters.port("B");
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      JsonObject ns = nodeStatus(a);
      assertThat(ns.getString("status")).isEqualTo("running");
      assertThat(ns.getString("server")).isEqualTo(inUse);
    });

    clusters.stop("B");
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
      assertThat(nodeStatus(a).getString("status")).isNotEqualTo("running"));
    clusters.start("B");
    await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
      JsonObject ns = nodeStatus(a);
      assertThat(ns.getString("status")).isEqualTo("running");
      assertThat(ns.containsKey("reason")).isFalse();
      assertThat(ns.getString("last_failure_reason")).isNotBlank();
      assertThat(Instant.parse(ns.getString("last_failure_at"))).isBefore(Instant.now());
      assertThat(ns.getString("server")).isEqualTo(inUse);
    });
  }
}
