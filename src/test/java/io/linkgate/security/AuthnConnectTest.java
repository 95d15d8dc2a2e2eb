package io.linkgate.security;

import io.linkgate.Linkgate;
import io.linkgate.authn.PasswordHash;
import io.linkgate.broker.ClientInfo;
import io.linkgate.metrics.LinkgateMetrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * MQTT authentication against built-in users over real sockets: CONNACK codes for MQTT 3.1.1 and 5, anonymous
 * clients per listener, the users file, the hash-password command and the metric.
 */
class AuthnConnectTest {
  @TempDir
  Path dataDir;
  Linkgate node;
  List<ClientInfo> seen;

  @BeforeEach
  void start() throws Exception {
    String aliceHash = hashWithTheCommand("alice-secret");
    Files.writeString(dataDir.resolve("authn-users.json"), new JsonArray().add(new JsonObject()
      .put("user_id", "carol").put("password_hash", PasswordHash.hash("carol-secret", 1000))).encode());
    JsonObject authentication = new JsonObject().put("authentication", new JsonArray().add(new JsonObject()
      .put("mechanism", "password_based").put("backend", "built_in_database").put("user_id_type", "username")
      .put("users", new JsonArray()
        .add(new JsonObject().put("user_id", "alice").put("password_hash", aliceHash))
        .add(new JsonObject().put("user_id", "bob").put("password", "bob-secret")))));
    JsonObject listeners = new JsonObject().put("tcp", new JsonObject()
      .put("default", new JsonObject().put("bind", "127.0.0.1:0"))
      .put("guests", new JsonObject().put("bind", "127.0.0.1:0").put("allow_anonymous", true))
      .put("open", new JsonObject().put("bind", "127.0.0.1:0").put("enable_authn", false)));
    node = SecureNodes.start(dataDir, listeners, authentication);
    seen = SecureNodes.recordClients(node);
  }

  @AfterEach
  void stop() throws Exception {
    SecureNodes.stop(node);
  }

  /** Runs {@code java -jar linkgate.jar hash-password --iterations 1000} in-process with the password on stdin. */
  static String hashWithTheCommand(String password) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Class<?> cmd = Class.forName("io.linkgate.HashPasswordCommand");
    var run = cmd.getDeclaredMethod("run", String[].class, java.io.InputStream.class, PrintStream.class,
      PrintStream.class);
    run.setAccessible(true);
    int code = (int) run.invoke(null, new String[] {"--iterations", "1000"},
      new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)), new PrintStream(out),
      new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    String hash = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain(password);
    return hash;
  }

  private String uri(String listener) {
    return "tcp://127.0.0.1:" + node.mqttPort("tcp:" + listener);
  }

  private void connectsV3(String listener, String user, String password) throws Exception {
    MqttClient c = SecureNodes.connect(uri(listener), null, user, password);
    c.disconnect();
    c.close();
  }

  private int refusalV3(String listener, String user, String password) {
    MqttException e = catchThrowableOfType(() -> SecureNodes.connect(uri(listener), null, user, password),
      MqttException.class);
    assertThat(e).as("CONNECT of " + user + " on " + listener + " must be refused").isNotNull();
    return e.getReasonCode();
  }

  private int connackV5(String listener, String user, String password) throws Exception {
    var c = new org.eclipse.paho.mqttv5.client.MqttClient(uri(listener), "v5-" + System.nanoTime(),
      new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setConnectionTimeout(3);
    if (user != null) {
      o.setUserName(user);
    }
    if (password != null) {
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    try {
      c.connect(o);
      c.disconnect();
      return 0;
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      return e.getReasonCode();
    } finally {
      c.close(true);
    }
  }

  @Test
  void rightPasswordsAreAcceptedWithTheUsernameInClientInfo() throws Exception {
    connectsV3("default", "alice", "alice-secret");
    connectsV3("default", "alice", "alice-secret"); // second time from the cache of verified passwords
    connectsV3("default", "bob", "bob-secret");
    connectsV3("default", "carol", "carol-secret");
    assertThat(connackV5("default", "alice", "alice-secret")).isZero();
    assertThat(seen).extracting(ClientInfo::username).containsExactly("alice", "alice", "bob", "carol", "alice");
  }

  @Test
  void mqtt311RefusalsUseReturnCodes4And5() {
    assertThat(refusalV3("default", "alice", "wrong")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(refusalV3("default", "bob", "wrong")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(refusalV3("default", "mallory", "x")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    assertThat(refusalV3("default", null, null)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    assertThat(seen).isEmpty();
  }

  @Test
  void mqtt5RefusalsUseReasonCodes0x86And0x87() throws Exception {
    assertThat(connackV5("default", "alice", "wrong")).isEqualTo(0x86);
    assertThat(connackV5("default", "alice", null)).isEqualTo(0x86);
    assertThat(connackV5("default", "nobody", "x")).isEqualTo(0x86);
    assertThat(connackV5("default", null, null)).isEqualTo(0x87);
  }

  @Test
  void anonymousAccessIsPerListener() throws Exception {
    connectsV3("guests", null, null);
    assertThat(refusalV3("guests", "alice", "wrong")).as("named users are still checked")
      .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    connectsV3("open", null, null);
    connectsV3("open", "alice", "wrong"); // enable_authn = false: nothing is checked on this listener
    assertThat(refusalV3("default", null, null)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
  }

  @Test
  void packetsSentBehindTheConnectWaitForThePasswordCheck() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.mqttPort("tcp:default"))) {
      socket.setSoTimeout(10_000);
      // CONNECT (3.1.1, clean, user alice, password alice-secret: a PBKDF2 check on the workers) and, in the same
      // write, a QoS 1 PUBLISH that the broker must only handle once the client is admitted
      byte[] bytes = java.util.HexFormat.of().parseHex("1025" + "00044d51545404c2003c" + "000470697065"
        + "0005616c696365" + "000c616c6963652d736563726574" + "3208" + "0003742f70" + "0001" + "78");
      socket.getOutputStream().write(bytes);
      byte[] reply = socket.getInputStream().readNBytes(8);
      assertThat(java.util.HexFormat.of().formatHex(reply)).isEqualTo("20020000" + "40020001");
    }
  }

  @Test
  void outcomesAreCounted() throws Exception {
    connectsV3("default", "alice", "alice-secret");
    connectsV3("guests", null, null);
    refusalV3("default", "alice", "wrong");
    refusalV3("default", null, null);
    String text = ((LinkgateMetrics) node.metrics()).scrape();
    assertThat(text)
      .contains("linkgate_authentications_total{outcome=\"success\"} 1.0")
      .contains("linkgate_authentications_total{outcome=\"anonymous\"} 1.0")
      .contains("linkgate_authentications_total{outcome=\"bad_username_or_password\"} 1.0")
      .contains("linkgate_authentications_total{outcome=\"not_authorized\"} 1.0");
  }
}
