package io.linkgate.security;

import io.linkgate.Linkgate;
import io.linkgate.testutil.TestCerts;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clients other than Paho on the TLS listeners: Debian's mosquitto_pub, and MQTT.js over secure WebSocket (wss). */
@Tag("slow")
class TlsClientsInteropTest {
  @TempDir
  static Path certDir;
  static TestCerts ca;
  static TestCerts.Issued server;
  static TestCerts.Issued device;

  @TempDir
  Path dataDir;
  Linkgate node;

  @BeforeAll
  static void certificates() {
    ca = TestCerts.newCa(certDir, "interop");
    server = ca.server("broker");
    device = ca.client("sensor-1");
  }

  @AfterEach
  void stop() throws Exception {
    SecureNodes.stop(node);
  }

  static final class Inbox implements MqttCallback {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }
  }

  private static int run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s printed: %s", command, output).isZero();
    return p.exitValue();
  }

  @Test
  void mosquittoPubWithCafileAndClientCertificate() throws Exception {
    node = SecureNodes.start(dataDir, new JsonObject().put("ssl", new JsonObject()
      .put("default", SecureNodes.tlsListener(server, null))
      .put("mutual", SecureNodes.tlsListener(server, new JsonObject().put("verify", "verify_peer")
        .put("fail_if_no_peer_cert", true).put("cacertfile", ca.caFile().toString())))), null);
    int tlsPort = node.mqttPort("ssl:default");
    int mtlsPort = node.mqttPort("ssl:mutual");
    Inbox inbox = new Inbox();
    MqttClient sub = SecureNodes.connect("ssl://127.0.0.1:" + tlsPort, TestCerts.clientContext(ca.caFile(), null),
      null, null);
    sub.setCallback(inbox);
    sub.subscribe("interop/#", 1);

    run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(tlsPort), "--cafile",
      ca.caFile().toString(), "-t", "interop/tls", "-m", "hello over TLS", "-q", "1"));
    run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(mtlsPort), "--cafile",
      ca.caFile().toString(), "--cert", device.cert().toString(), "--key", device.key().toString(),
      "-V", "mqttv5", "-t", "interop/mtls", "-m", "hello over mTLS", "-q", "1"));

    await().atMost(10, TimeUnit.SECONDS).until(() -> inbox.messages.containsAll(
      List.of("interop/tls hello over TLS", "interop/mtls hello over mTLS")));
    sub.disconnect();
    sub.close();
  }

  @Test
  void wssListenerServesMqttJsOverSecureWebSocket() throws Exception {
    node = SecureNodes.start(dataDir, new JsonObject().put("wss", new JsonObject()
      .put("default", SecureNodes.tlsListener(server, null))), null);
    int port = node.mqttPort("wss:default");
    Path jsDir = Path.of("src/test/js").toAbsolutePath();
    assertThat(jsDir.resolve("node_modules/mqtt")).as("MQTT.js: npm ci --prefix src/test/js").exists();
    // connect over wss, trusting only the test CA, subscribe, publish to ourselves, print what came back
    String script = """
      import mqtt from 'mqtt';
      import fs from 'node:fs';
      const c = mqtt.connect(process.argv[2], { ca: fs.readFileSync(process.argv[3]), protocolVersion: 5,
        reconnectPeriod: 0, connectTimeout: 5000 });
      const fail = (e) => { console.log('error ' + e.message); process.exit(1); };
      c.on('error', fail);
      setTimeout(() => fail(new Error('timeout')), 8000);
      c.on('connect', () => c.subscribe('wss/#', { qos: 1 }, (err) => err ? fail(err)
        : c.publish('wss/hello', 'over wss', { qos: 1 })));
      c.on('message', (topic, payload) => { console.log(topic + ' ' + payload); c.end(() => process.exit(0)); });
      """;
    Path file = jsDir.resolve("wss-check-" + ProcessHandle.current().pid() + ".mjs");
    java.nio.file.Files.writeString(file, script);
    try {
      Process p = new ProcessBuilder("node", file.toString(), "wss://127.0.0.1:" + port + "/mqtt",
        ca.caFile().toString()).redirectErrorStream(true).start();
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(output).as("exit %s", p.exitValue()).contains("wss/hello over wss");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
