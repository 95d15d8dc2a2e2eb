package io.linkgate.link;

import io.linkgate.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Linkgates whose ACL files are written as the EMQX docs write them ({@code {allow, {clientid, {re,
 * "^clink-us-east"}}, all, ["$LINK/#"]}.}) and that deny $LINK/# to everyone else still replicate routes and forward
 * messages; a link whose client id the peer's rules do not name gets nowhere.
 */
@Timeout(60)
class AclLinkedClustersTest {
  private LinkedClusters clusters;

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  private static final String ACL = """
    %% Allow Cluster Linking MQTT clients to operate with "$LINK/#" topics
    {allow, {clientid, {re, "^clink-us-east"}}, all, ["$LINK/#"]}.
    {allow, {clientid, {re, "^clink-eu-west"}}, all, ["$LINK/#"]}.
    {deny, all, all, ["$LINK/#"]}.
    {allow, all}.
    """;

  private JsonObject config(String cluster, String linkClientId, Path acl) {
    JsonObject json = clusters.configJson(cluster);
    JsonArray links = json.getJsonObject("cluster").getJsonArray("links");
    links.getJsonObject(0).put("clientid", linkClientId);
    json.put("authorization", new JsonObject().put("no_match", "deny").put("sources", new JsonArray()
      .add(new JsonObject().put("type", "file").put("enable", true).put("path", acl.toString()))));
    return json;
  }

  @Test
  void linksNamedByTheSeedRuleForwardMessages(@TempDir Path dir) throws Exception {
    Path acl = Files.writeString(dir.resolve("acl.conf"), ACL);
    clusters = new LinkedClusters(LinkTimings.fast(), "us-east", "eu-west")
      .link("us-east", "eu-west", "global/#").link("eu-west", "us-east", "global/#");
    clusters.start("us-east", ConfigLoader.fromJson(config("us-east", "clink-us-east", acl)));
    clusters.start("eu-west", ConfigLoader.fromJson(config("eu-west", "clink-eu-west", acl)));
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("us-east", "eu-west").status()));
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("eu-west", "us-east").status()));

    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient sub = connect(clusters.uri("us-east"), "sub");
    sub.subscribe("global/#", 1, (topic, m) -> received.add(topic + " " + new String(m.getPayload())));
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("eu-west", "us-east").routes() == 1);
    MqttClient pub = connect(clusters.uri("eu-west"), "pub");
    pub.publish("global/news", "hello".getBytes(), 1, false);
    await().atMost(10, TimeUnit.SECONDS).until(() -> received.contains("global/news hello"));
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void aLinkTheRulesDoNotNameIsRefused(@TempDir Path dir) throws Exception {
    Path acl = Files.writeString(dir.resolve("acl.conf"), ACL);
    clusters = new LinkedClusters(LinkTimings.fast(), "us-east", "eu-west")
      .link("us-east", "eu-west", "global/#").link("eu-west", "us-east", "global/#");
    clusters.start("us-east", ConfigLoader.fromJson(config("us-east", "impostor", acl)));
    clusters.start("eu-west", ConfigLoader.fromJson(config("eu-west", "clink-eu-west", acl)));
    // eu-west's link into us-east is named by the rules; us-east's link into eu-west ("impostor") is not
    await().atMost(15, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("eu-west", "us-east").status()));
    // the peer's answer, not a pause, shows the attempt was judged: its ACL refused the link's $LINK/ traffic
    await().atMost(15, TimeUnit.SECONDS).until(() -> String.valueOf(clusters.status("us-east", "eu-west").reason())
      .contains("refused"));
    assertThat(clusters.status("us-east", "eu-west").status()).isNotEqualTo("running");
    assertThat(clusters.inbound("eu-west", "us-east").actors()).isZero();
  }

  private static MqttClient connect(String uri, String id) throws Exception {
    MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    return c;
  }
}
