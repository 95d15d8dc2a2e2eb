package io.linkgate.link;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linkgate.config.ConfigLoader;
import io.linkgate.testutil.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconnecting: a {@code server} list is tried in turn and the address in use is reported; an unreachable peer is
 * retried with exponential backoff up to a cap, and logged once per reason instead of once per client and attempt.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkReconnectTest {
  private LinkedClusters clusters;
  private FakeEmqxPeer peer;
  private ListAppender<ILoggingEvent> logs;

  @AfterEach
  void stop() throws Exception {
    if (logs != null) {
      ((Logger) LoggerFactory.getLogger(RouteReplicator.class)).detachAppender(logs);
      ((Logger) LoggerFactory.getLogger(ForwardingPool.class)).detachAppender(logs);
    }
    if (clusters != null) {
      clusters.close();
    }
    if (peer != null) {
      peer.close();
    }
  }

  private void startA(String server, int poolSize) throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A");
    JsonObject json = clusters.configJson("A");
    json.getJsonObject("cluster").put("links", new JsonArray().add(new JsonObject().put("name", "P")
      .put("server", server).put("topics", new JsonArray().add("t/#")).put("pool_size", poolSize)));
    clusters.start("A", ConfigLoader.fromJson(json));
  }

  @Test
  void aServerListIsTriedInTurnAndTheAddressInUseIsShown() throws Exception {
    peer = new FakeEmqxPeer("P", "A", Ports.free());
    int dead = Ports.free();
    startA("127.0.0.1:" + dead + ", 127.0.0.1:" + peer.port(), 2);
    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "P");
      assertThat(s.routeSyncState()).isEqualTo("online");
      assertThat(s.poolConnected()).isEqualTo(2);
      assertThat(s.server()).isEqualTo("127.0.0.1:" + peer.port());
    });
    assertThat(peer.actorCount()).isEqualTo(1);
  }

  @Test
  void anUnreachablePeerIsRetriedWithBackoffAndLoggedOncePerReason() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(RouteReplicator.class)).addAppender(logs);
    ((Logger) LoggerFactory.getLogger(ForwardingPool.class)).addAppender(logs);
    startA("127.0.0.1:" + Ports.free(), 4);
    long started = System.currentTimeMillis();
    // fast timings: route sync every 0.5 s and forwarding every 0.3 s without backoff (~20 and ~130 attempts in 12 s)
    await().atMost(30, TimeUnit.SECONDS).until(() -> System.currentTimeMillis() - started > 12_000
      && clusters.status("A", "P").routeSyncConnects() >= 3);
    long connects = clusters.status("A", "P").routeSyncConnects();
    assertThat(connects).as("doubling delays, capped at 8 × 0.5 s").isBetween(3L, 9L);
    List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).as("one line per reason: route sync and the pool each saw one").hasSizeLessThanOrEqualTo(2);
  }
}
