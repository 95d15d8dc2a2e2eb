package io.linkgate.config;

import static io.linkgate.config.ConfigTestSupport.errors;
import static io.linkgate.config.ConfigTestSupport.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenersMqttApiTest {

  @Test
  void defaultListenersExistUnlessDisabled() {
    LinkgateConfig config = valid("listeners.ws.default.enable = false");
    assertThat(config.listeners().tcp()).containsOnlyKeys("default");
    assertThat(config.listeners().ws().get("default").enable()).isFalse();
    assertThat(config.listeners().ws().get("default").websocket().mqttPath()).isEqualTo("/mqtt");
    assertThat(config.listeners().tcp().get("default").websocket()).isNull();
    assertThat(config.listeners().enabled()).containsOnlyKeys("tcp:default");
    assertThat(config.listeners().tcp().get("default").maxConnections()).isEqualTo(Values.INFINITY);
  }

  @Test
  void extraListenersKeepTheirOrderAndNeedABind() {
    LinkgateConfig config = valid("""
        listeners.tcp.internal { bind = "127.0.0.1:1884", max_connections = 100 }
        listeners.tcp.another.bind = 1885
        """);
    assertThat(config.listeners().tcp()).containsOnlyKeys("default", "internal", "another");
    assertThat(config.listeners().tcp().keySet()).containsExactly("default", "internal", "another");
    assertThat(config.listeners().tcp().get("internal").maxConnections()).isEqualTo(100);
    assertThat(config.listeners().tcp().get("another").bind()).isEqualTo(new HostPort("0.0.0.0", 1885));
    assertThat(errors("listeners.tcp.extra.enable = true"))
        .containsExactly("listeners.tcp.extra.bind: missing required key");
    assertThat(errors("listeners.tcp.\"bad name\".bind = 1884")).containsExactly("listeners.tcp.bad name: "
        + "invalid listener name, use letters, digits, '-' and '_' (starting with a letter or digit)");
  }

  @ParameterizedTest
  @CsvSource({
      "'1883', 0.0.0.0, 1883",
      "'0.0.0.0:1883', 0.0.0.0, 1883",
      "'127.0.0.1:0', 127.0.0.1, 0",
      "'[::]:1883', ::, 1883",
      "'[::1]:2000', ::1, 2000",
      "'localhost:1999', localhost, 1999"})
  void bindForms(String bind, String host, int port) {
    assertThat(valid("listeners.tcp.default.bind = \"" + bind + "\"").listeners().tcp().get("default").bind())
        .isEqualTo(new HostPort(host, port));
  }

  @Test
  void bindAsANumber() {
    assertThat(valid("listeners.tcp.default.bind = 1999").listeners().tcp().get("default").bind().port())
        .isEqualTo(1999);
  }

  @Test
  void bindErrors() {
    assertThat(errors("listeners.tcp.default.bind = \"0.0.0.0:70000\""))
        .containsExactly("listeners.tcp.default.bind: port must be between 0 and 65535, got 70000");
    assertThat(errors("listeners.tcp.default.bind = \"::1:1883\"")).containsExactly(
        "listeners.tcp.default.bind: expected \"port\", \"host:port\" or \"[ipv6]:port\", got \"::1:1883\"");
  }

  @Test
  void onlyTheStandardWebsocketPath() {
    assertThat(errors("listeners.ws.default.websocket.mqtt_path = \"/ws\"")).containsExactly(
        "listeners.ws.default.websocket.mqtt_path: only \"/mqtt\" is supported, got \"/ws\"");
    assertThat(errors("listeners.tcp.default.websocket.mqtt_path = \"/mqtt\""))
        .containsExactly("listeners.tcp.default.websocket: unknown key");
  }

  @Test
  void portConflicts() {
    assertThat(errors("""
        listeners.ws.default.bind = "127.0.0.1:1883"
        api.bind = 1883
        listeners.tcp.other.bind = "127.0.0.2:1999"
        listeners.tcp.third.bind = "127.0.0.3:1999"
        """)).containsExactly(
        "listeners.ws.default.bind: port 1883 is already used by listeners.tcp.default.bind (0.0.0.0:1883)",
        "api.bind: port 1883 is already used by listeners.tcp.default.bind (0.0.0.0:1883)");
    assertThat(errors("listeners.tcp.default.bind = \"127.0.0.1:0\"\nlisteners.ws.default.bind = \"127.0.0.1:0\""
        + "\napi.bind = \"127.0.0.1:0\"")).isEmpty();
    assertThat(errors("listeners.ws.default { bind = 1883, enable = false }\napi { bind = 1883, enable = false }"))
        .isEmpty();
  }

  @Test
  void mqttDefaultsAreEmqxs() {
    MqttOptions m = valid("").mqtt();
    assertThat(m).isEqualTo(MqttOptions.DEFAULT);
    assertThat(m.maxPacketSize()).isEqualTo(1024 * 1024);
    assertThat(m.maxClientidLen()).isEqualTo(65535);
    assertThat(m.maxTopicLevels()).isEqualTo(128);
    assertThat(m.maxTopicAlias()).isEqualTo(65535);
    assertThat(m.maxInflight()).isEqualTo(32);
    assertThat(m.maxMqueueLen()).isEqualTo(1000);
    assertThat(m.mqueueStoreQos0()).isTrue();
    assertThat(m.maxSubscriptions()).isEqualTo(Values.INFINITY);
    assertThat(m.sessionExpiryInterval()).isEqualTo(Duration.ofHours(2));
    assertThat(m.retainAvailable()).isTrue();
    assertThat(m.sharedSubscription()).isTrue();
    assertThat(m.wildcardSubscription()).isTrue();
    assertThat(m.maxQosAllowed()).isEqualTo(2);
    assertThat(m.keepaliveMultiplier()).isEqualTo(1.5);
    assertThat(m.serverKeepaliveEnabled()).isFalse();
    assertThat(m.retryInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.maxAwaitingRel()).isEqualTo(100);
    assertThat(m.awaitRelTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(m.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void mqttValues() {
    MqttOptions m = valid("""
        mqtt {
          max_packet_size = 2097152, max_mqueue_len = infinity, max_subscriptions = 10,
          session_expiry_interval = 7200000, server_keepalive = 30, idle_timeout = infinity,
          max_awaiting_rel = infinity, keepalive_multiplier = 2, max_inflight = "64"
        }
        """).mqtt();
    assertThat(m.maxPacketSize()).isEqualTo(2 * 1024 * 1024);
    assertThat(m.maxMqueueLen()).isEqualTo(Values.INFINITY);
    assertThat(m.maxSubscriptions()).isEqualTo(10);
    assertThat(m.sessionExpiryInterval()).isEqualTo(Duration.ofHours(2));
    assertThat(m.serverKeepalive()).isEqualTo(30);
    assertThat(m.idleTimeout()).isEqualTo(Values.FOREVER);
    assertThat(m.maxAwaitingRel()).isEqualTo(Values.INFINITY);
    assertThat(m.keepaliveMultiplier()).isEqualTo(2.0);
    assertThat(m.maxInflight()).isEqualTo(64);
  }

  @Test
  void mqttRanges() {
    assertThat(errors("""
        mqtt {
          max_packet_size = 300MB, max_clientid_len = 22, max_inflight = 0, max_qos_allowed = -1,
          keepalive_multiplier = 0, server_keepalive = 0, retry_interval = 0s
        }
        """)).containsExactly(
        "mqtt.max_packet_size: must be between 1B and 256MB, got 300MB",
        "mqtt.max_clientid_len: must be between 23 and 65535, got 22",
        "mqtt.max_inflight: must be between 1 and 65535, got 0",
        "mqtt.max_qos_allowed: must be between 0 and 2, got -1",
        "mqtt.keepalive_multiplier: must be greater than 0.0, got 0",
        "mqtt.server_keepalive: must be between 1 and 65535, got 0",
        "mqtt.retry_interval: must be at least 1ms, got 0s");
  }

  @Test
  void nodeAndApi() {
    LinkgateConfig config = valid("node { name = \"n1@10.0.0.1\", data_dir = \"/var/lib/linkgate\" }\n"
        + "api { enable = false, bind = \"127.0.0.1:18084\" }");
    assertThat(config.node()).isEqualTo(new NodeOptions("n1@10.0.0.1", "/var/lib/linkgate"));
    assertThat(config.api()).isEqualTo(new ApiOptions(false, new HostPort("127.0.0.1", 18084)));
    assertThat(errors("node.data_dir = \"\"")).containsExactly("node.data_dir: must not be empty");
  }
}
