package io.linkgate.config;

import static io.linkgate.config.ConfigTestSupport.valid;
import static io.linkgate.config.ConfigTestSupport.validLink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips, redaction, immutability and the helpers the API and reload build on. */
class ModelTest {

  private static final String RICH = """
      node { name = "n@h", data_dir = d }
      cluster {
        name = here
        links = [
          {
            name = there, enable = false, server = "mqtts://[::1]:8883", clientid = cid, username = u,
            password = pw, topics = ["a/#", "b/+/c"], pool_size = 3, keepalive = 20, max_inflight = 0,
            retry_interval = 1500ms
            ssl { enable = true, verify = verify_peer, cacertfile = ca, certfile = c, keyfile = k,
                  server_name_indication = sni, versions = ["tlsv1.2"], ciphers = [TLS_AES_128_GCM_SHA256], depth = 2,
                  password = kp, reuse_sessions = false, secure_renegotiate = false, hibernate_after = 1s,
                  log_level = debug }
            tcp_opts { nodelay = false, sndbuf = 16KB, recbuf = 1000, buffer = 1MB, keepalive = "60,10,3",
                       active_n = 5, delay_send = true }
            resource_opts { worker_pool_size = 2, dispatch_strategy = random, health_check_interval = 1s,
                            health_check_interval_jitter = 10ms, health_check_timeout = 2s, start_timeout = 3s,
                            request_ttl = infinity, inflight_window = 7, max_buffer_bytes = 1GB }
          }
          { name = other, server = o, topics = [] }
        ]
      }
      listeners {
        tcp.default { enable = false, bind = "127.0.0.1:0", max_connections = 10 }
        tcp.x.bind = "[::1]:1999"
        ws.default { bind = 0, max_connections = infinity }
      }
      mqtt { max_packet_size = 1000, max_mqueue_len = infinity, server_keepalive = disabled, idle_timeout = infinity,
             session_expiry_interval = 90m, keepalive_multiplier = 0.75, max_subscriptions = 5 }
      api { enable = false, bind = "[::]:18083" }
      """;

  @Test
  void roundTripOfEveryField() {
    LinkgateConfig config = valid(RICH);
    JsonObject json = config.toJson();
    assertThat(ConfigLoader.fromJson(json)).isEqualTo(config);
    assertThat(ConfigLoader.fromJson(ConfigLoader.parse(json.encode(), "json"))).isEqualTo(config);
    assertThat(ConfigLoader.fromJson(LinkgateConfig.defaults().toJson())).isEqualTo(LinkgateConfig.defaults());
  }

  @Test
  void toJsonIsFullWithDefaults() {
    JsonObject link = valid("cluster.links = [{name = p, server = h, topics = []}]").toJson()
        .getJsonObject("cluster").getJsonArray("links").getJsonObject(0);
    assertThat(link.fieldNames()).containsExactly("name", "enable", "server", "topics", "ssl", "pool_size",
        "keepalive", "max_inflight", "retry_interval", "tcp_opts", "resource_opts");
    assertThat(link.getString("retry_interval")).isEqualTo("15s");
    assertThat(link.getJsonObject("resource_opts").getString("max_buffer_bytes")).isEqualTo("256MB");
  }

  @Test
  void redaction() {
    LinkgateConfig config = valid(RICH);
    JsonObject link = config.toJson(true).getJsonObject("cluster").getJsonArray("links").getJsonObject(0);
    assertThat(link.getString("password")).isEqualTo("******");
    assertThat(link.getJsonObject("ssl").getString("password")).isEqualTo("******");
    JsonObject plain = config.toJson().getJsonObject("cluster").getJsonArray("links").getJsonObject(0);
    assertThat(plain.getString("password")).isEqualTo("pw");
    assertThat(plain.getJsonObject("ssl").getString("password")).isEqualTo("kp");
    JsonObject other = config.toJson(true).getJsonObject("cluster").getJsonArray("links").getJsonObject(1);
    assertThat(other.containsKey("password")).isFalse();
    assertThat(config.toString()).doesNotContain("pw", "kp").contains("******");
  }

  @Test
  void redactedSecretsAreRestoredFromTheStoredLink() {
    LinkOptions stored = valid(RICH).cluster().links().get(0);
    JsonObject body = stored.toJson(true).put("pool_size", 4);
    List<ValidationError> errors = new java.util.ArrayList<>();
    LinkOptions update = LinkOptions.fromJson(body, "body", errors);
    assertThat(errors).isEmpty();
    assertThat(update.password()).isEqualTo("******");
    LinkOptions restored = update.restoreRedacted(stored);
    assertThat(restored.password()).isEqualTo("pw");
    assertThat(restored.ssl().password()).isEqualTo("kp");
    assertThat(restored.poolSize()).isEqualTo(4);
    assertThat(restored.connectionFieldsDiffer(stored)).isFalse();
    assertThat(restored.forwardingFieldsDiffer(stored)).isTrue();
    LinkOptions newSecret = LinkOptions.fromJson(body.put("password", "new"), "body", errors);
    assertThat(newSecret.restoreRedacted(stored).password()).isEqualTo("new");
  }

  @Test
  void changeClassification() {
    LinkOptions base = validLink("name = p, server = \"h:1883\", topics = [a]");
    LinkOptions sameServerOtherSpelling = validLink("name = p, server = \"mqtt://h\", topics = [a]");
    assertThat(base.connectionFieldsDiffer(sameServerOtherSpelling)).isFalse();

    for (String change : List.of("server = \"h:1884\"", "clientid = c", "username = u", "password = p",
        "ssl.enable = true", "topics = [b]")) {
      LinkOptions changed = validLink("name = p, server = \"h:1883\", topics = [a], " + change);
      assertThat(base.connectionFieldsDiffer(changed)).as(change).isTrue();
      assertThat(base.forwardingFieldsDiffer(changed)).as(change).isFalse();
      assertThat(base.routeReplicationRestartNeeded(changed)).as(change).isTrue();
    }
    for (String change : List.of("pool_size = 2", "retry_interval = 1s", "max_inflight = 1",
        "resource_opts.inflight_window = 5")) {
      LinkOptions changed = validLink("name = p, server = \"h:1883\", topics = [a], " + change);
      assertThat(base.connectionFieldsDiffer(changed)).as(change).isFalse();
      assertThat(base.forwardingFieldsDiffer(changed)).as(change).isTrue();
      assertThat(base.routeReplicationRestartNeeded(changed)).as(change).isFalse();
    }
    LinkOptions keepalive = validLink("name = p, server = \"h:1883\", topics = [a], keepalive = 5");
    assertThat(base.connectionFieldsDiffer(keepalive)).isFalse();
    assertThat(base.forwardingFieldsDiffer(keepalive)).isFalse();
    assertThat(base.routeReplicationRestartNeeded(keepalive)).isTrue();
    assertThat(base.routeReplicationRestartNeeded(base)).isFalse();
  }

  @Test
  void recordsAreImmutable() {
    LinkgateConfig config = valid(RICH);
    assertThatThrownBy(() -> config.cluster().links().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.cluster().links().get(0).topics().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.listeners().tcp().remove("default"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.cluster().links().get(0).ssl().versions().add("tlsv1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void constructorsRejectAnInvalidServer() {
    LinkOptions l = validLink("name = p, server = h, topics = []");
    assertThatThrownBy(() -> new LinkOptions(l.name(), true, "a,b:x", null, null, null, List.of(), l.ssl(), 1,
        l.keepalive(), 1, l.retryInterval(), l.tcpOpts(), l.resourceOpts()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validationErrorFormat() {
    assertThat(new ValidationError("mqtt.max_inflight", "expected an integer, got \"abc\""))
        .hasToString("mqtt.max_inflight: expected an integer, got \"abc\"");
    assertThat(new ConfigException("a", "b")).hasMessage("invalid configuration (1 error):\na: b");
  }
}
