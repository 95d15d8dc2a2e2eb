package io.linkgate.lifecycle;

import io.linkgate.Linkgate;
import io.linkgate.alarm.Alarm;
import io.linkgate.link.LinkTimings;
import io.linkgate.link.LinkedClusters;
import io.linkgate.testutil.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hot reload: the config file of a running node is edited as an operator would (written in place, not atomically)
 * and the node follows (in about 1.2 s), or keeps its config and says why.
 */
class ConfigReloadTest {
  /**
   * A bound, not a speed test: a save is applied after about 1.2 s (0.5 s scan, 0.7 s settle) on an idle machine,
   * but a shared CI machine can take several times that.
   */
  static final Duration APPLIED_WITHIN = Duration.ofSeconds(15);

  LinkedClusters clusters;
  Path file;
  Linkgate a;

  @BeforeEach
  void start() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B").link("B", "A", "fromA/#");
    clusters.start("B");
    file = Files.createTempDirectory("linkgate-reload").resolve("linkgate.conf");
    save(clusters.configJson("A"));
    a = clusters.startFromFile("A", file);
  }

  @AfterEach
  void stop() throws Exception {
    clusters.close();
  }

  /** HOCON with a comment, saved in place like an editor does. */
  void save(JsonObject config) throws Exception {
    Files.writeString(file, "# Linkgate A, edited by hand\n" + config.encodePrettily() + "\n");
  }

  JsonObject withLinkToB(JsonObject link) {
    JsonObject conf = clusters.configJson("A");
    conf.getJsonObject("cluster").put("links", new JsonArray().add(link));
    return conf;
  }

  JsonObject linkToB(String... topics) {
    return new JsonObject().put("name", "B").put("server", "127.0.0.1:" + clusters.port("B"))
      .put("topics", new JsonArray(List.of((Object[]) topics))).put("pool_size", 1);
  }

  JsonObject status() throws Exception {
    return a.gateway().configs().status().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  Alarm alarm(String name) {
    return a.gateway().alarms().get(name);
  }

  @Test
  void aLinkAppearsChangesIsDisabledAndDisappearsAsTheFileSays() throws Exception {
    assertThat(clusters.runs("A", "B")).isFalse();

    save(withLinkToB(linkToB("toA/#")));
    await().atMost(APPLIED_WITHIN).until(() -> clusters.runs("A", "B"));
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(clusters.status("A", "B").status()));
    assertMessageCrosses("toA/1");
    assertThat(status().getJsonObject("last_reload").getString("result")).isEqualTo("applied");
    assertThat(status().getJsonObject("last_reload").getJsonArray("changes")).contains("cluster.links[B]: added");

    save(withLinkToB(linkToB("toA/#", "more/#")));
    await().atMost(APPLIED_WITHIN).until(() -> a.config().cluster().link("B").orElseThrow().topics().size() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(clusters.status("A", "B").status()));
    assertMessageCrosses("more/1");

    save(withLinkToB(linkToB("toA/#", "more/#").put("enable", false)));
    await().atMost(APPLIED_WITHIN).until(() -> !clusters.runs("A", "B"));
    assertThat(a.config().cluster().link("B")).isPresent();

    save(clusters.configJson("A"));
    await().atMost(APPLIED_WITHIN).until(() -> a.config().cluster().links().isEmpty());
    assertThat(status().getJsonObject("reloads").getInteger("applied")).isEqualTo(4);
    assertThat(status().getJsonObject("reloads").getInteger("rejected")).isZero();
  }

  void assertMessageCrosses(String topic) throws Exception {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    MqttClient sub = new MqttClient(clusters.uri("A"), "sub-" + System.nanoTime(), new MemoryPersistence());
    MqttClient pub = new MqttClient(clusters.uri("B"), "pub-" + System.nanoTime(), new MemoryPersistence());
    try {
      sub.connect();
      sub.subscribe(topic, 1, (t, m) -> got.add(t + "=" + new String(m.getPayload())));
      pub.connect();
      // the route reaches B asynchronously: publish until one arrives
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
        pub.publish(topic, "hello".getBytes(), 1, false);
        return got.poll(150, TimeUnit.MILLISECONDS) != null;
      });
    } finally {
      sub.disconnect();
      pub.disconnect();
      sub.close();
      pub.close();
    }
  }

  @Test
  void aBadFileKeepsTheRunningConfigAndRaisesAnAlarmThatTheFixedFileClears() throws Exception {
    String good = Files.readString(file);
    String goodSha = status().getString("sha256");
    assertThat(goodSha).isNotNull();

    Files.writeString(file, good.replaceFirst("\\{", "{ cluster { name = "));
    await().atMost(APPLIED_WITHIN).until(() -> alarm(ConfigManager.ALARM_INVALID) != null);
    assertThat(alarm(ConfigManager.ALARM_INVALID).message()).contains(file.toString()).contains("running config is unchanged");
    assertThat(status().getString("sha256")).isEqualTo(goodSha);
    assertThat(status().getJsonObject("last_reload").getString("result")).isEqualTo("rejected");

    // a validation error: every error comes with its path; the config that runs does not move
    save(withLinkToB(linkToB("ok/#", "t/#/+")).put("mqtt", new JsonObject().put("max_inflight", -1)));
    await().atMost(APPLIED_WITHIN).until(() -> alarm(ConfigManager.ALARM_INVALID).details()
      .containsKey("cluster.links[0].topics[1]"));
    assertThat(alarm(ConfigManager.ALARM_INVALID).details()).containsKey("mqtt.max_inflight");
    JsonArray errors = status().getJsonObject("last_reload").getJsonArray("errors");
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("path")))
      .contains("cluster.links[0].topics[1]", "mqtt.max_inflight");
    assertThat(a.config().cluster().links()).isEmpty();
    assertThat(a.config().mqtt().maxInflight()).isEqualTo(32);
    assertThat(status().getString("sha256")).isEqualTo(goodSha);

    // the same bad bytes saved again are still bad: refused again, not taken for "no change"
    String bad = Files.readString(file);
    int rejected = status().getJsonObject("reloads").getInteger("rejected");
    Files.writeString(file, bad);
    var report = a.reloadConfig("sighup").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(report.result()).isEqualTo(ReloadReport.Result.REJECTED);
    assertThat(status().getJsonObject("reloads").getInteger("rejected")).isEqualTo(rejected + 1);
    assertThat(alarm(ConfigManager.ALARM_INVALID)).isNotNull();

    // going back to the running version is no change to apply, but it clears the alarm
    Files.writeString(file, good);
    await().atMost(APPLIED_WITHIN).until(() -> alarm(ConfigManager.ALARM_INVALID) == null);
    assertThat(status().getJsonObject("last_reload").getString("result")).isEqualTo("unchanged");
    assertThat(status().getString("sha256")).isEqualTo(goodSha);
    assertThat(a.gateway().alarms().history()).extracting(Alarm::name).contains(ConfigManager.ALARM_INVALID);
  }

  /** Every reload so far, whatever its result. */
  int reloads() throws Exception {
    JsonObject counts = status().getJsonObject("reloads");
    return counts.fieldNames().stream().mapToInt(counts::getInteger).sum();
  }

  void saveMaxInflight(int value) throws Exception {
    save(clusters.configJson("A").put("mqtt", new JsonObject().put("max_inflight", value)));
  }

  @Test
  void aBurstOfTwentySavesEndsWithTheLastContentAndNoMoreReloadsThanSaves() throws Exception {
    // a first edit applied shows the watcher is scanning (instead of sleeping until it probably is)
    saveMaxInflight(100);
    await().atMost(APPLIED_WITHIN).until(() -> a.config().mqtt().maxInflight() == 100);
    int before = reloads();
    for (int i = 1; i <= 20; i++) {
      saveMaxInflight(100 + i);
      Thread.sleep(50); // the pace of the burst: the test's input, not a wait for something
    }
    String last = Files.readString(file);
    await().atMost(APPLIED_WITHIN).until(() -> a.config().mqtt().maxInflight() == 120
      && io.linkgate.Sha256.hex(last.getBytes()).equals(status().getString("sha256")));
    // a scan that caught a save half-written was rejected (syntax) or, empty, left alone: nothing else changed
    assertThat(status().getJsonObject("last_reload").getJsonArray("changes")).containsExactly("mqtt.max_inflight");

    // a sentinel edit: reloads run one at a time, so once it is applied every reload of the burst is counted
    saveMaxInflight(200);
    await().atMost(APPLIED_WITHIN).until(() -> a.config().mqtt().maxInflight() == 200);
    // how many reloads the burst took depends on the machine's speed; the debounce guarantees at most one a save
    assertThat(reloads() - before).as("reloads for 20 saves and the sentinel").isBetween(2, 21);
  }

  @Test
  void anEmptyFileIsTakenForASaveInProgressByTheWatcher() throws Exception {
    saveMaxInflight(100);
    await().atMost(APPLIED_WITHIN).until(() -> a.config().mqtt().maxInflight() == 100);
    int before = reloads();
    Files.writeString(file, "");
    // how long the file stays empty (the test's input): longer than a scan and the settle time together
    Thread.sleep(ConfigFileWatcher.SCAN_PERIOD.plus(ConfigFileWatcher.SETTLE).toMillis() * 2);
    saveMaxInflight(101); // the sentinel: reloads run one at a time, so once it is applied the empty file was seen
    await().atMost(APPLIED_WITHIN).until(() -> a.config().mqtt().maxInflight() == 101);
    assertThat(reloads() - before).as("the sentinel's reload only").isEqualTo(1);
    assertThat(status().getJsonObject("last_reload").getJsonArray("changes")).containsExactly("mqtt.max_inflight");
  }

  @Test
  void keysThatNeedARestartAreReportedAndTheRestIsApplied() throws Exception {
    JsonObject conf = clusters.configJson("A").put("mqtt", new JsonObject().put("max_inflight", 7)
      .put("max_packet_size", "2MB"));
    conf.getJsonObject("cluster").put("name", "renamed");
    conf.getJsonObject("node").put("name", "other@127.0.0.1");
    save(conf);
    await().atMost(APPLIED_WITHIN).until(() -> a.config().mqtt().maxInflight() == 7);
    assertThat(a.config().cluster().name()).isEqualTo("A");
    assertThat(a.config().node().name()).isEqualTo("A@127.0.0.1");
    assertThat(a.config().mqtt().maxPacketSize()).isEqualTo(1024 * 1024);
    assertThat(status().getJsonArray("needs_restart")).contains("cluster.name", "node.name", "mqtt.max_packet_size");
    assertThat(alarm(ConfigManager.ALARM_RESTART).message()).contains("cluster.name");

    save(clusters.configJson("A").put("mqtt", new JsonObject().put("max_inflight", 7)));
    await().atMost(APPLIED_WITHIN).until(() -> alarm(ConfigManager.ALARM_RESTART) == null);
    assertThat(status().getJsonArray("needs_restart")).isEmpty();
  }

  @Test
  void aListenerChangeRebindsItWithoutDroppingTheClientsOfTheOthers() throws Exception {
    int second = Ports.free();
    JsonObject conf = clusters.configJson("A");
    conf.getJsonObject("listeners").getJsonObject("tcp").put("second", new JsonObject().put("bind",
      "127.0.0.1:" + second));
    save(conf);
    await().atMost(APPLIED_WITHIN).until(() -> a.mqttPorts().containsKey("tcp:second"));

    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    MqttClient onSecond = new MqttClient("tcp://127.0.0.1:" + second, "stays", new MemoryPersistence());
    onSecond.connect();
    onSecond.subscribe("x/#", 1, (t, m) -> got.add(t));

    int moved = Ports.free();
    conf.getJsonObject("listeners").getJsonObject("tcp").getJsonObject("default").put("bind", "127.0.0.1:" + moved);
    save(conf);
    await().atMost(APPLIED_WITHIN).until(() -> Integer.valueOf(moved).equals(a.mqttPorts().get("tcp:default")));
    assertThat(canConnect(clusters.port("A"))).isFalse();

    MqttClient onMoved = new MqttClient("tcp://127.0.0.1:" + moved, "moved", new MemoryPersistence());
    onMoved.connect();
    assertThat(onSecond.isConnected()).as("client of the untouched listener").isTrue();
    onMoved.publish("x/1", "hi".getBytes(), 1, false);
    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("x/1");
    assertThat(onSecond.isConnected()).isTrue();
    onMoved.disconnect();
    onSecond.disconnect();

    // a port that is taken: refused as a whole, the listener stays where it was
    try (var blocker = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      conf.getJsonObject("listeners").getJsonObject("tcp").getJsonObject("default").put("bind",
        "127.0.0.1:" + blocker.getLocalPort());
      save(conf);
      await().atMost(APPLIED_WITHIN).until(() -> alarm(ConfigManager.ALARM_INVALID) != null);
      assertThat(alarm(ConfigManager.ALARM_INVALID).message()).contains("tcp:default");
      assertThat(a.mqttPorts().get("tcp:default")).isEqualTo(moved);
      assertThat(canConnect(moved)).isTrue();
    }
  }

  @Test
  void anEditedAclFileIsAppliedByAReloadAndABadOneIsRefused() throws Exception {
    Path acl = file.resolveSibling("acl.conf");
    Files.writeString(acl, "{allow, all}.\n");
    JsonObject conf = clusters.configJson("A").put("authorization", new JsonObject()
      .put("sources", new JsonArray().add(new JsonObject().put("type", "file").put("path", acl.toString()))));
    save(conf);
    await().atMost(APPLIED_WITHIN).until(() -> a.config().authorization().sources() != null);
    assertThat(grantedQos("x/1")).isEqualTo(1);

    // only the ACL file changes: a reload (SIGHUP here) sees it
    Files.writeString(acl, "%% no more x/#\n{deny, all, subscribe, [\"x/#\"]}.\n{allow, all}.\n");
    var report = a.reloadConfig("sighup").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(report.result()).isEqualTo(ReloadReport.Result.APPLIED);
    assertThat(report.changes()).containsExactly("authorization.sources: ACL file content");
    assertThat(grantedQos("x/1")).isEqualTo(0x80);
    assertThat(grantedQos("y/1")).isEqualTo(1);

    Files.writeString(acl, "{deny, all, subscribe, [\"x/#\"]}\n{allow, all}.\n");
    report = a.reloadConfig("sighup").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(report.result()).isEqualTo(ReloadReport.Result.REJECTED);
    assertThat(report.errors().get(0).path()).isEqualTo("authorization.sources[0].path");
    assertThat(report.errors().get(0).message()).contains(acl.toString());
    assertThat(grantedQos("x/1")).isEqualTo(0x80);
  }

  int grantedQos(String filter) throws Exception {
    MqttClient c = new MqttClient(clusters.uri("A"), "acl-" + System.nanoTime(), new MemoryPersistence());
    try {
      c.connect();
      return c.subscribeWithResponse(filter, 1).getGrantedQos()[0];
    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
      return e.getReasonCode() == org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_SUBSCRIBE_FAILED ? 0x80 : -1;
    } finally {
      if (c.isConnected()) {
        c.disconnect();
      }
      c.close();
    }
  }

  static boolean canConnect(int port) {
    try (var s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
