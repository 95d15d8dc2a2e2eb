package io.linkgate.link;

import io.linkgate.alarm.Alarm;
import io.linkgate.config.ConfigLoader;
import io.linkgate.testutil.Ports;
import io.linkgate.testutil.TestCerts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Linkgates linked over mutual TLS with {@code verify = verify_peer}, as the seed configures a link: each side
 * has an mTLS listener (client certificates required, the CN is the username, no password accepted) and its link
 * presents a client certificate and checks the peer's certificate and host name.
 */
class TlsLinkTest {
  @TempDir
  static Path certDir;
  static TestCerts ca;
  static TestCerts wrongCa;

  LinkedClusters clusters;
  final Map<String, Integer> sslPorts = Map.of("A", Ports.free(), "B", Ports.free());

  @BeforeAll
  static void certificates() {
    ca = TestCerts.newCa(certDir, "links");
    wrongCa = TestCerts.newCa(certDir, "elsewhere");
  }

  @AfterEach
  void stop() throws Exception {
    if (clusters != null) {
      clusters.close();
    }
  }

  /** The cluster's config with an mTLS listener and TLS on every link, trusting {@code linkCa}. */
  private JsonObject secured(String cluster, TestCerts linkCa, String sni) {
    TestCerts.Issued server = ca.server(cluster + "-broker");
    TestCerts.Issued linkClient = ca.client("clink-" + cluster);
    JsonObject json = clusters.configJson(cluster);
    // local clients on the plain listener stay anonymous; the TLS listener is the one peers use
    json.getJsonObject("listeners").getJsonObject("tcp").getJsonObject("default").put("allow_anonymous", true);
    json.getJsonObject("listeners").put("ssl", new JsonObject().put("default", new JsonObject()
      .put("bind", "127.0.0.1:" + sslPorts.get(cluster))
      .put("peer_cert_as_username", "cn")
      .put("ssl_options", new JsonObject()
        .put("certfile", server.cert().toString()).put("keyfile", server.key().toString())
        .put("cacertfile", ca.caFile().toString())
        .put("verify", "verify_peer").put("fail_if_no_peer_cert", true))));
    // with authentication on, only the certificate gets a client in: nobody knows a password
    json.put("authentication", new JsonArray().add(new JsonObject().put("mechanism", "password_based")
      .put("backend", "built_in_database").put("users", new JsonArray().add(new JsonObject()
        .put("user_id", "nobody").put("password", "unguessable-" + System.nanoTime())))));
    JsonArray links = json.getJsonObject("cluster").getJsonArray("links");
    for (int i = 0; i < links.size(); i++) {
      JsonObject ssl = new JsonObject().put("enable", true).put("verify", "verify_peer")
        .put("certfile", linkClient.cert().toString()).put("keyfile", linkClient.key().toString())
        .put("cacertfile", linkCa.caFile().toString())
        .put("versions", new JsonArray().add("tlsv1.3").add("tlsv1.2"))
        .put("ciphers", new JsonArray().add("TLS_AES_256_GCM_SHA384").add("TLS_AES_128_GCM_SHA256")
          .add("ECDHE-ECDSA-AES256-GCM-SHA384"));
      if (sni != null) {
        ssl.put("server_name_indication", sni);
      }
      links.getJsonObject(i).put("ssl", ssl);
    }
    return json;
  }

  private void start(String cluster, TestCerts linkCa, String sni) throws Exception {
    clusters.start(cluster, ConfigLoader.fromJson(secured(cluster, linkCa, sni)));
  }

  private Alarm alarm(String cluster, String link) {
    return clusters.node(cluster).gateway().alarms().get(LinkVerticle.alarmName(link));
  }

  @Test
  void messagesFlowOverMutualTlsWithVerifyPeer() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B")
      .linkVia("A", "B", sslPorts.get("B"), "#").linkVia("B", "A", sslPorts.get("A"));
    start("A", ca, null);
    start("B", ca, "localhost");
    await().atMost(20, TimeUnit.SECONDS).until(() -> "running".equals(clusters.status("A", "B").status())
      && "running".equals(clusters.status("B", "A").status()));

    ClusterLinkingTest.Inbox inbox = new ClusterLinkingTest.Inbox();
    MqttClient sub = ClusterLinkingTest.client(clusters.uri("A"), "sub-a", inbox);
    sub.subscribe("tls/#", 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> clusters.inbound("B", "A").routes() == 1);
    MqttClient pub = ClusterLinkingTest.client(clusters.uri("B"), "pub-b", null);
    pub.publish("tls/hello", "over mTLS".getBytes(), 1, false);
    await().atMost(10, TimeUnit.SECONDS).until(() -> inbox.messages.contains("tls/hello over mTLS"));
    pub.disconnect();
    sub.disconnect();
  }

  @Test
  void aPeerCertificateFromAnotherCaIsRefusedWithAClearAlarm() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B")
      .linkVia("A", "B", sslPorts.get("B"), "#").linkVia("B", "A", sslPorts.get("A"));
    start("A", wrongCa, null);
    start("B", ca, null);
    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "B");
      assertThat(s.status()).isNotEqualTo("running");
      assertThat(s.reason()).contains("tls_error").contains("TLS handshake with 127.0.0.1:" + sslPorts.get("B"))
        .containsIgnoringCase("certification path");
      assertThat(alarm("A", "B")).isNotNull();
      assertThat(alarm("A", "B").message()).contains("TLS handshake");
    });
  }

  @Test
  void theHostNameIsVerifiedAgainstServerNameIndication() throws Exception {
    clusters = new LinkedClusters(LinkTimings.fast(), "A", "B")
      .linkVia("A", "B", sslPorts.get("B"), "#").linkVia("B", "A", sslPorts.get("A"));
    start("A", ca, "not-the-broker.example.net");
    start("B", ca, null);
    await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
      LinkStatus s = clusters.status("A", "B");
      assertThat(s.status()).isNotEqualTo("running");
      assertThat(s.reason()).contains("tls_error").contains("not-the-broker.example.net");
    });
  }
}
