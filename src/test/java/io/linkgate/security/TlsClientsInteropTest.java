package io.linkgate.security;

import io.linkgate.Linkgate;
import io.linkgate.testutil.TestCerts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clients other than Paho on the TLS listeners: Debian's mosquitto_pub, and a WebSocket client over TLS (wss). */
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
  void wssListenerServesMqttToATlsWebSocketClient() throws Exception {
    node = SecureNodes.start(dataDir, new JsonObject().put("wss", new JsonObject()
      .put("default", SecureNodes.tlsListener(server, null))), null);
    int port = node.mqttPort("wss:default");
    Vertx vertx = Vertx.vertx();
    try {
      WebSocketClientOptions options = new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.caFile().toString()));
      WebSocket ws = vertx.createWebSocketClient(options).connect(new WebSocketConnectOptions()
          .setHost("127.0.0.1").setPort(port).setURI("/mqtt").setSsl(true).addSubProtocol("mqtt"))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      CompletableFuture<Buffer> reply = new CompletableFuture<>();
      ws.binaryMessageHandler(reply::complete);
      // MQTT 3.1.1 CONNECT, client id "wss", keep alive 60 s
      ws.writeBinaryMessage(Buffer.buffer(HexFormat.of().parseHex("100f00044d5154540402003c0003777373")));
      assertThat(HexFormat.of().formatHex(reply.get(10, TimeUnit.SECONDS).getBytes())).isEqualTo("20020000");
      assertThat(ws.isSsl()).isTrue();
      ws.close();
    } finally {
      vertx.close();
    }
  }
}
