package io.linkgate.security;

import io.linkgate.Linkgate;
import io.linkgate.broker.ClientInfo;
import io.linkgate.testutil.TestCerts;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS and mutual-TLS MQTT listeners over real sockets, with certificates made for the test. */
class TlsListenerTest {
  @TempDir
  static Path certDir;
  static TestCerts ca;
  static TestCerts wrongCa;
  static TestCerts.Issued server;
  static TestCerts.Issued device;
  static TestCerts.Issued stranger;

  @TempDir
  Path dataDir;
  Linkgate node;

  @BeforeAll
  static void certificates() {
    ca = TestCerts.newCa(certDir, "good");
    wrongCa = TestCerts.newCa(certDir, "evil");
    server = ca.server("broker");
    device = ca.client("device-7");
    stranger = wrongCa.client("device-7");
  }

  @AfterEach
  void stop() throws Exception {
    SecureNodes.stop(node);
  }

  private String sslUri() {
    return "ssl://127.0.0.1:" + node.mqttPort("ssl:default");
  }

  private JsonObject mutualTls(JsonObject extraListenerKeys) {
    JsonObject l = SecureNodes.tlsListener(server, new JsonObject().put("verify", "verify_peer")
      .put("fail_if_no_peer_cert", true).put("cacertfile", ca.caFile().toString()));
    return new JsonObject().put("ssl", new JsonObject().put("default", l.mergeIn(extraListenerKeys)));
  }

  @Test
  void tlsListenerAcceptsTlsClientsAndRefusesPlainMqtt() throws Exception {
    node = SecureNodes.start(dataDir, new JsonObject().put("ssl", new JsonObject()
      .put("default", SecureNodes.tlsListener(server, null))), null);

    MqttClient c = SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), null), null, null);
    assertThat(c.isConnected()).isTrue();
    c.disconnect();
    c.close();

    assertThatThrownBy(() -> SecureNodes.connect("tcp://127.0.0.1:" + node.mqttPort("ssl:default"), null, null, null))
      .isInstanceOf(MqttException.class);
  }

  @Test
  void inlinePemWorksWhereAPathIsExpected() throws Exception {
    JsonObject l = new JsonObject().put("bind", "127.0.0.1:0").put("ssl_options", new JsonObject()
      .put("certfile", server.certPem()).put("keyfile", server.keyPem()));
    node = SecureNodes.start(dataDir, new JsonObject().put("ssl", new JsonObject().put("default", l)), null);

    MqttClient c = SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), null), null, null);
    assertThat(c.isConnected()).isTrue();
    c.disconnect();
    c.close();
  }

  @Test
  void mutualTlsAcceptsCertificatesOfItsCaOnly() throws Exception {
    node = SecureNodes.start(dataDir, mutualTls(new JsonObject()), null);

    MqttClient c = SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), device), null, null);
    assertThat(c.isConnected()).isTrue();
    c.disconnect();
    c.close();

    assertThatThrownBy(() -> SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), null), null, null))
      .as("no client certificate").isInstanceOf(MqttException.class);
    assertThatThrownBy(() -> SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), stranger), null,
      null)).as("client certificate from another CA").isInstanceOf(MqttException.class);
  }

  @Test
  void peerCertAsUsernameMakesTheCnTheUsername() throws Exception {
    node = SecureNodes.start(dataDir, mutualTls(new JsonObject().put("peer_cert_as_username", "cn")), null);
    List<ClientInfo> seen = SecureNodes.recordClients(node);

    MqttClient c = SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), device), "claimed-name", null);
    c.disconnect();
    c.close();

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).username()).isEqualTo("device-7");
    assertThat(seen.get(0).peerCertCn()).isEqualTo("device-7");
    assertThat(seen.get(0).listener()).isEqualTo("ssl:default");
  }

  @Test
  void withoutPeerCertAsUsernameTheCnIsKeptApart() throws Exception {
    node = SecureNodes.start(dataDir, mutualTls(new JsonObject()), null);
    List<ClientInfo> seen = SecureNodes.recordClients(node);

    MqttClient c = SecureNodes.connect(sslUri(), TestCerts.clientContext(ca.caFile(), device), "claimed-name", null);
    c.disconnect();
    c.close();

    assertThat(seen.get(0).username()).isEqualTo("claimed-name");
    assertThat(seen.get(0).peerCertCn()).isEqualTo("device-7");
  }
}
